"""Running omie-push from an orchestrator (docs/orchestration.md). Beside the layers: it may
use push and everything below it; nothing in omie_push imports it (the command line never
loads an orchestrator)."""
