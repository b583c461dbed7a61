"""The Omie sandbox: a local simulator of the Omie API (docs/sandbox.md).

`app.create_app` builds the ASGI app; `embedded.asgi_transport` runs it in-process for the
`embedded` target; `testing.serve` serves it over HTTP in a thread; `omie-push sandbox serve`
serves it from the command line. Importing this package imports nothing heavy.
"""
