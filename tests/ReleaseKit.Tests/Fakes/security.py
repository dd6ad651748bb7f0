#!/usr/bin/env python3
"""A fake of macOS security(1) for the keychain commands a CI import uses.

Keeps the user's keychain search list and the keychains it creates in `security-state.json`
(calls folder, argv[1]); the search list starts as the login keychain. `import` reads a real
PKCS#12 with openssl, so a wrong password fails like security's MAC check, and identities are
named after the certificate's CN with its SHA-1 fingerprint, as find-identity prints them.

Faults for tests: `security.fail` names a subcommand that then fails; `security.untrusted`
makes imported identities invalid with CSSMERR_TP_NOT_TRUSTED (no Developer ID G2 intermediate).
"""
import json
import os
import subprocess
import sys

LOGIN = "/Users/runner/Library/Keychains/login.keychain-db"


def main(argv):
    calls, args = argv[1], argv[2:]
    state_path = os.path.join(calls, "security-state.json")
    state = {"search": [LOGIN], "keychains": {}}
    if os.path.exists(state_path):
        with open(state_path) as f:
            state = json.load(f)
    command, rest = args[0], args[1:]
    fail = os.path.join(calls, "security.fail")
    if os.path.exists(fail) and open(fail).read().strip() == command:
        print(f"security: {command}: fake failure injected by the test", file=sys.stderr)
        return 1

    def value(flag):
        return rest[rest.index(flag) + 1] if flag in rest else None

    def keychain_or_fail(path):
        if path not in state["keychains"]:
            print(f"security: {command}: The specified keychain could not be found.", file=sys.stderr)
            return None
        return state["keychains"][path]

    result = 0
    if command == "list-keychains":
        if "-s" in rest:
            state["search"] = rest[rest.index("-s") + 1:]
        else:
            for path in state["search"]:
                print(f'    "{path}"')
    elif command == "create-keychain":
        path = rest[-1]
        if path in state["keychains"]:
            print("security: SecKeychainCreate " + path + ": A keychain with the same name already exists.", file=sys.stderr)
            return 48
        state["keychains"][path] = {"password": value("-p"), "locked": True, "settings": None, "identities": [], "partition": False}
        open(path, "wb").close()
    elif command == "set-keychain-settings":
        keychain = keychain_or_fail(rest[-1])
        if keychain is None:
            return 50
        keychain["settings"] = rest[:-1]
    elif command == "unlock-keychain":
        keychain = keychain_or_fail(rest[-1])
        if keychain is None:
            return 50
        if value("-p") != keychain["password"]:
            print("security: SecKeychainUnlock " + rest[-1] + ": The user name or passphrase you entered is not correct.", file=sys.stderr)
            return 51
        keychain["locked"] = False
    elif command == "import":
        keychain = keychain_or_fail(value("-k"))
        if keychain is None:
            return 50
        environment = dict(os.environ, FAKE_P12_PASSWORD=value("-P") or "")
        certificate = subprocess.run(["openssl", "pkcs12", "-in", rest[0], "-passin", "env:FAKE_P12_PASSWORD", "-nokeys", "-clcerts"],
                                     capture_output=True, env=environment)
        if certificate.returncode != 0:
            print("security: SecKeychainItemImport: MAC verification failed during PKCS12 import (wrong password?)", file=sys.stderr)
            return 1
        details = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha1", "-subject", "-nameopt", "multiline"],
                                 input=certificate.stdout, capture_output=True, check=True).stdout.decode()
        fingerprint = details.split("=", 1)[1].split("\n", 1)[0].replace(":", "").strip()
        name = next(line.split("=", 1)[1].strip() for line in details.splitlines() if line.strip().startswith("commonName"))
        problem = "CSSMERR_TP_NOT_TRUSTED" if os.path.exists(os.path.join(calls, "security.untrusted")) else None
        keychain["identities"].append({"hash": fingerprint, "name": name, "problem": problem, "apps": [value("-T")]})
        print("1 identity imported.")
    elif command == "set-key-partition-list":
        keychain = keychain_or_fail(rest[-1])
        if keychain is None:
            return 50
        if value("-k") != keychain["password"]:
            print("security: SecKeychainItemSetAccessWithPassword: The user name or passphrase you entered is not correct.", file=sys.stderr)
            return 1
        keychain["partition"] = value("-S")
    elif command == "find-identity":
        identities = [i for path in state["search"] if path in state["keychains"] for i in state["keychains"][path]["identities"]]
        valid = [i for i in identities if i["problem"] is None]
        if "-v" in rest:
            for n, i in enumerate(valid, 1):
                print(f'  {n}) {i["hash"]} "{i["name"]}"')
            print(f"     {len(valid)} valid identities found")
        else:
            print("\nPolicy: Code Signing\n  Matching identities")
            for n, i in enumerate(identities, 1):
                print(f'  {n}) {i["hash"]} "{i["name"]}"' + (f' ({i["problem"]})' if i["problem"] else ""))
            print(f"     {len(identities)} identities found\n\n  Valid identities only")
            for n, i in enumerate(valid, 1):
                print(f'  {n}) {i["hash"]} "{i["name"]}"')
            print(f"     {len(valid)} valid identities found")
    elif command == "delete-keychain":
        path = rest[-1]
        if path not in state["keychains"]:
            print(f"security: SecKeychainDelete: The specified keychain could not be found.", file=sys.stderr)
            result = 50
        else:
            del state["keychains"][path]
            state["search"] = [x for x in state["search"] if x != path]
            if os.path.exists(path):
                os.remove(path)
    else:
        print(f"security: unknown command \"{command}\"", file=sys.stderr)
        return 2

    with open(state_path, "w") as f:
        json.dump(state, f)
    return result


if __name__ == "__main__":
    sys.exit(main(sys.argv))
