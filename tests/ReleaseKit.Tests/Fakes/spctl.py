#!/usr/bin/env python3
"""A fake of spctl(8) assessing a command-line binary, as Gatekeeper does on macOS 26.

`spctl -a -t install -vv BIN` accepts a binary the fake notary accepted (see `notary-tickets`
in codesign.py) with "source=Notarized Developer ID", and rejects anything else (exit 3).
`spctl -a -t exec -vv BIN` rejects every command-line binary: "the code is valid but does not
seem to be an app" (exit 3), which is why the build only reports it.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import codesign  # noqa: E402


def main(argv):
    calls, args = argv[1], argv[2:]
    if len(args) != 5 or args[0] != "-a" or args[1] != "-t" or args[3] != "-vv":
        print("System Policy Basic Interface\nusage: spctl --assess [--type type] [-v] path ...", file=sys.stderr)
        return 2
    kind, path = args[2], args[4]
    if not os.path.exists(path):
        print(f"{path}: No such file or directory", file=sys.stderr)
        return 1
    if kind == "exec":
        print(f"{path}: rejected (the code is valid but does not seem to be an app)", file=sys.stderr)
        print("origin=Developer ID Application: Example (TEAM123456)", file=sys.stderr)
        return 3
    if codesign.notarized(calls, path):
        print(f"{path}: accepted", file=sys.stderr)
        print("source=Notarized Developer ID", file=sys.stderr)
        print("origin=Developer ID Application: Example (TEAM123456)", file=sys.stderr)
        return 0
    print(f"{path}: rejected", file=sys.stderr)
    print("source=Unnotarized Developer ID", file=sys.stderr)
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv))
