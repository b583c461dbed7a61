"""`omie-push validate` and `omie-push expectations` (being built)."""
import click


@click.command()
def validate():
    """Validate the omie views against their suites; send nothing."""
    raise click.ClickException("not built yet")


@click.group()
def expectations():
    """Generate the GX suites from the catalog."""
