"""The stack's ceiling: a bare Flask "hello world", served by `make bench` on the same gunicorn settings as the
portal. Every portal figure is reported as a share of what this app does in the same run."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world!"
