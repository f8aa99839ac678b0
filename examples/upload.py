"""Upload

Upload files and see their sizes; files over 5 MB are refused in the form.
Run it with `htmio serve examples/upload.py`.
"""
import hashlib

from htmio.input import file_upload
from htmio.output import put_markdown


def main():
    files = file_upload("Files to check", multiple=True, max_size="5M", max_total_size="20M",
                        help_text="up to 5 MB each, 20 MB together")
    rows = "\n".join(f"| {f['filename']} | {len(f['content']):,} | {f['mime_type']} | "
                     f"`{hashlib.sha256(f['content']).hexdigest()[:16]}` |" for f in files)
    put_markdown("| file | bytes | type | sha256 |\n|---|---|---|---|\n" + rows if files else "No files chosen.")
