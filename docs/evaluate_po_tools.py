"""Round-trip every sample body through mdpo and translate-toolkit, as docs/translators.md reports.

Run in a scratch environment (not the project's):

    python3 -m venv /tmp/po-tools && /tmp/po-tools/bin/pip install translate-toolkit mistletoe mdpo
    /tmp/po-tools/bin/python docs/evaluate_po_tools.py content

Each body (the text after the header block) is extracted to a PO file, every msgstr is set to its
msgid (an unchanged translation), and the PO file is merged back into the Markdown. A tool passes
a file when the result is byte-identical to the input.
"""

import glob
import os
import subprocess
import sys
import tempfile

import polib  # installed with mdpo

PYTHON = sys.executable
MDPO_EXTRACT = "from mdpo.md2po.__main__ import run; run({!r})"
MDPO_MERGE = "from mdpo.po2md.__main__ import run; run({!r})"


def extract(tool: str, source: str, po_file: str) -> None:
    if tool == "mdpo":
        command = [PYTHON, "-c", MDPO_EXTRACT.format([source, "-s", "--po-filepath", po_file, "-q"])]
    else:
        command = [PYTHON, "-m", "translate.convert.md2po", "-i", source, "-o", po_file, "--progress=none"]
    subprocess.run(command, capture_output=True, text=True)


def merge(tool: str, source: str, po_file: str, out: str) -> None:
    if tool == "mdpo":
        arguments = [source, "-p", po_file, "-s", out, "-q", "--wrapwidth", "inf"]
        command = [PYTHON, "-c", MDPO_MERGE.format(arguments)]
    else:
        command = [PYTHON, "-m", "translate.convert.po2md", "-i", po_file, "-t", source, "-o", out]
        command += ["--progress=none", "--maxlinelength", "0"]
    subprocess.run(command, capture_output=True, text=True)


def main(content: str) -> None:
    results = {"mdpo": [], "translate-toolkit": []}
    for path in sorted(glob.glob(os.path.join(content, "*", "*", "*.md"))):
        with open(path, encoding="utf-8") as handle:
            body = handle.read().split("\n\n", 1)[1].strip("\n") + "\n"
        with tempfile.TemporaryDirectory() as folder:
            source = os.path.join(folder, "body.md")
            with open(source, "w", encoding="utf-8") as handle:
                handle.write(body)
            for tool, failures in results.items():
                po_file, out = os.path.join(folder, "x.po"), os.path.join(folder, "out.md")
                for leftover in (po_file, out):
                    if os.path.exists(leftover):
                        os.unlink(leftover)
                extract(tool, source, po_file)
                if not os.path.exists(po_file):
                    failures.append((path, "extraction failed"))
                    continue
                catalog = polib.pofile(po_file)
                for entry in catalog:
                    entry.msgstr = entry.msgid
                catalog.save(po_file)
                merge(tool, source, po_file, out)
                got = None
                if os.path.exists(out):
                    with open(out, encoding="utf-8") as handle:
                        got = handle.read()
                if got != body:
                    failures.append((path, "merge failed" if got is None else "differs"))
    results["translate-toolkit, translation from the original's layout"] = translations_written_back(content)
    total = len(glob.glob(os.path.join(content, "*", "*", "*.md")))
    for tool, failures in results.items():
        count = (
            total
            if "translation" not in tool
            else len(
                [p for p in glob.glob(os.path.join(content, "*", "*", "*.md")) if not p.endswith("/en.md")]
            )
        )
        print(f"{tool}: {count - len(failures)}/{count} byte-identical")
        for path, why in failures:
            print(f"  {path}: {why}")


def body_of(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read().split("\n\n", 1)[1].strip("\n") + "\n"


def translations_written_back(content: str) -> list:
    """Pair each translation's entries with its original's, merge into the original: same file?"""
    failures = []
    for path in sorted(glob.glob(os.path.join(content, "*", "*", "*.md"))):
        if path.endswith("/en.md"):
            continue
        with tempfile.TemporaryDirectory() as folder:
            names = {}
            for name, source_path in (("original", path[:-5] + "en.md"), ("translation", path)):
                names[name] = os.path.join(folder, name + ".md")
                with open(names[name], "w", encoding="utf-8") as handle:
                    handle.write(body_of(source_path))
                extract("translate-toolkit", names[name], os.path.join(folder, name + ".po"))
            original = polib.pofile(os.path.join(folder, "original.po"))
            translated = polib.pofile(os.path.join(folder, "translation.po"))
            if len(original) != len(translated):
                failures.append((path, "different segment count"))
                continue
            for entry, theirs in zip(original, translated, strict=True):
                entry.msgstr = theirs.msgid
            po_file, out = os.path.join(folder, "x.po"), os.path.join(folder, "out.md")
            original.save(po_file)
            merge("translate-toolkit", names["original"], po_file, out)
            with open(out, encoding="utf-8") as handle:
                if handle.read() != body_of(path):
                    failures.append((path, "differs"))
    return failures


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "content")
