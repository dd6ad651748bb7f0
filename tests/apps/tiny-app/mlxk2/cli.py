import sys

from mlxk2 import __version__


def main():
    if sys.argv[1:] == ["--version"]:
        print("tiny-app " + __version__)
    else:
        print("tiny-app: runs as " + sys.executable)


if __name__ == "__main__":
    main()
