"""Several apps

One server, two apps: `python examples/several_apps.py` serves them at http://127.0.0.1:8080/ (the
index) and http://127.0.0.1:8080/?app=report; the index opens the report with go_app.
"""
from htmio import start_server
from htmio.output import put_button, put_markdown
from htmio.platform import config
from htmio.session import go_app


@config(title="Report", description="This month's figures", theme="dark")
def report():
    put_markdown("# Report\n| month | sales |\n|---|---|\n| November | 42 |")


def main():
    """Home

    The start page, with a link to the report."""
    put_markdown("# Home")
    put_button("Open the report", onclick=lambda: go_app("report", new_window=False))


if __name__ == "__main__":
    start_server({"index": main, "report": report}, port=8080, host="127.0.0.1")
