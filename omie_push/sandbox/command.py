"""`omie-push sandbox` (being built)."""
import click


@click.group()
def sandbox():
    """Run the Omie sandbox, a local simulator of the Omie API."""
