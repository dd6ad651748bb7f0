#!/usr/bin/env python3
"""A fake of macOS ditto(1) for the one form the build uses: `ditto -c -k --keepParent SRC DST.zip`.

Writes a real zip whose entries start with SRC's folder name, keeping symlinks (as links, the
way ditto stores them) and Unix modes. Anything else is refused with ditto's usage text.
"""
import os
import stat
import sys
import zipfile


def main(argv):
    args = argv[2:]
    if len(args) != 5 or args[:3] != ["-c", "-k", "--keepParent"]:
        print("usage: ditto [ <options> ] src [ ... src ] dst", file=sys.stderr)
        return 1
    source, target = args[3], args[4]
    if not os.path.isdir(source):
        print(f"ditto: {source}: No such file or directory", file=sys.stderr)
        return 1
    parent = os.path.dirname(os.path.abspath(source))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for root, directories, files in os.walk(source):
            directories.sort()
            for name in sorted(directories) + sorted(files):
                path = os.path.join(root, name)
                relative = os.path.relpath(path, parent)
                info = os.lstat(path)
                if stat.S_ISLNK(info.st_mode):
                    entry = zipfile.ZipInfo(relative)
                    entry.external_attr = (stat.S_IFLNK | 0o755) << 16
                    archive.writestr(entry, os.readlink(path))
                elif stat.S_ISDIR(info.st_mode):
                    entry = zipfile.ZipInfo(relative + "/")
                    entry.external_attr = (stat.S_IFDIR | stat.S_IMODE(info.st_mode)) << 16
                    archive.writestr(entry, b"")
                else:
                    archive.write(path, relative)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
