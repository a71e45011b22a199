from babelwire.cli import app

app()
