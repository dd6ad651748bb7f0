"""A PEP 517 backend that packs mlxk2/ into a pure-Python wheel, so the app builds offline."""

import base64
import hashlib
import os
import zipfile

NAME, VERSION = "tiny_app", "0.1.0"
DIST_INFO = f"{NAME}-{VERSION}.dist-info"


def _contents():
    for folder, _, files in sorted(os.walk("mlxk2")):
        for file in sorted(files):
            if file.endswith(".py"):
                path = os.path.join(folder, file)
                with open(path, "rb") as source:
                    yield path, source.read()
    yield f"{DIST_INFO}/METADATA", f"Metadata-Version: 2.1\nName: tiny-app\nVersion: {VERSION}\n".encode()
    yield f"{DIST_INFO}/WHEEL", b"Wheel-Version: 1.0\nGenerator: tiny-app\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as wheel:
        for path, data in _contents():
            wheel.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{path},sha256={digest},{len(data)}")
        record.append(f"{DIST_INFO}/RECORD,,")
        wheel.writestr(f"{DIST_INFO}/RECORD", "\n".join(record) + "\n")
    return name
