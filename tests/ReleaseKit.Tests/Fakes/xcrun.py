#!/usr/bin/env python3
"""A fake of `xcrun notarytool` (submit, wait, info, log) for tests on Linux.

Answers with the JSON shapes notarytool prints with --output-format json, and reproduces what
matters for a build: `wait` and `submit` exit 0 even when the verdict is Invalid; `log` is only
available once processing is complete; uploads can die with plain text or no output at all.
Accepted submissions add the cdhash of every Mach-O in the zip to `notary-tickets`, which the
codesign fake's --check-notarization reads, like Gatekeeper's online ticket lookup.

The scenario is read from `notary.json` in the calls folder (argv[1]):
  verdict          "Accepted" (default), "Invalid" or "Rejected"
  issues           log issues: {"severity", "path" (bundle-relative), "message", "architecture"}
  submitFailures   how many uploads fail before one succeeds
  submitFailure    "text" (default: a MultipartUploadError line), "empty" (killed, no output), or
                   "after-id" (the upload went through and the id was printed, then the connection dropped)
  pending          how many `wait` calls time out (the submission stays In Progress) first
  auth             "401" or "403": every call is refused like bad credentials
State across calls lives in `notary-state.json`.
"""
import json
import os
import sys
import uuid
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import codesign  # noqa: E402


def load(path, default):
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return default


def save(path, value):
    with open(path, "w") as f:
        json.dump(value, f)


def credentials_given(args):
    if "--keychain-profile" in args or "-p" in args:
        return True
    if "--key" in args and "--key-id" in args:
        key = args[args.index("--key") + 1]
        return os.path.isfile(key)
    return "--apple-id" in args and "--team-id" in args and "--password" in args


def ticket_entries(archive):
    """(path, ticket) for every Mach-O and executable in the zip; None for an unsigned Mach-O."""
    entries = []
    with zipfile.ZipFile(archive) as z:
        for entry in z.infolist():
            mode = (entry.external_attr >> 16) & 0o170777
            if entry.is_dir() or mode & 0o170000 == 0o120000:
                continue
            data = z.read(entry)
            if not codesign.is_macho(data) and not mode & 0o111:
                continue
            temporary = os.path.join(os.environ.get("TMPDIR", "/tmp"), "fake-notary-" + uuid.uuid4().hex)
            with open(temporary, "wb") as f:
                f.write(data)
            try:
                entries += [(entry.filename, t) for t in codesign.tickets(temporary)]
            except (codesign.Failure, ValueError):
                entries.append((entry.filename, None))
            finally:
                os.remove(temporary)
    return entries


def main(argv):
    calls, args = argv[1], argv[2:]
    if not args or args[0] != "notarytool":
        print(f"xcrun: error: unable to find utility \"{args[0] if args else ''}\", not a developer tool or in PATH", file=sys.stderr)
        return 72
    scenario = load(os.path.join(calls, "notary.json"), {})
    state_path = os.path.join(calls, "notary-state.json")
    state = load(state_path, {"submits": 0, "submissions": {}})
    command, rest = (args[1], args[2:]) if len(args) > 1 else ("help", [])

    if not credentials_given(rest):
        print("Error: No authentication options were given: use --keychain-profile, --apple-id with --team-id and --password, or --key with --key-id", file=sys.stderr)
        return 64
    if scenario.get("auth") == "401":
        print("Error: HTTP status code: 401. Unable to authenticate. Invalid credentials. Username or password is incorrect.", file=sys.stderr)
        return 69
    if scenario.get("auth") == "403":
        print("Error: HTTP status code: 403. A required agreement is missing or has expired.", file=sys.stderr)
        return 69

    if command == "submit":
        archive = rest[0]
        if not archive.endswith(".zip") or not zipfile.is_zipfile(archive):
            print(f"Error: {archive} is not a supported file format. Use a zip, dmg or pkg.", file=sys.stderr)
            return 64
        state["submits"] += 1
        failing = state["submits"] <= scenario.get("submitFailures", 0)
        if failing and scenario.get("submitFailure") != "after-id":
            save(state_path, state)
            if scenario.get("submitFailure") == "empty":
                return 137
            print('Error: MultipartUploadError(underlyingError: Optional(Error Domain=NSURLErrorDomain Code=-1001 "The request timed out."))', file=sys.stderr)
            return 1
        submission = str(uuid.uuid4())
        name = os.path.basename(archive)
        with zipfile.ZipFile(archive) as z:
            bundle = z.namelist()[0].split("/")[0] if z.namelist() else ""
        state["submissions"][submission] = {
            "name": name, "bundle": bundle, "pending": scenario.get("pending", 0), "complete": False,
            "hashes": ticket_entries(archive),
        }
        save(state_path, state)
        if failing:
            print(f"Submission ID received\n  id: {submission}\nError: The network connection was lost.", file=sys.stderr)
            return 1
        print(json.dumps({"id": submission, "message": "Successfully uploaded file", "path": archive}))
        return 0

    submission = rest[0] if rest else ""
    record = state["submissions"].get(submission)
    if record is None:
        print(f"Error: Submission does not exist or does not belong to your team. id: {submission}", file=sys.stderr)
        return 1
    verdict = scenario.get("verdict", "Accepted")

    if command == "wait":
        if record["pending"] > 0:
            record["pending"] -= 1
            save(state_path, state)
            print(f"Error: Timeout of {rest[rest.index('--timeout') + 1]} was reached before processing completed.", file=sys.stderr)
            return 1
        record["complete"] = True
        save(state_path, state)
        if verdict == "Accepted":
            tickets = os.path.join(calls, "notary-tickets")
            with open(tickets, "a") as f:
                for _, h in record["hashes"]:
                    if h:
                        f.write(h + "\n")
        print(json.dumps({"id": submission, "message": "Processing complete", "status": verdict}))
        return 0

    if command == "info":
        status = verdict if record["complete"] else "In Progress"
        print(json.dumps({"createdDate": "2026-11-25T10:00:00.000Z", "id": submission, "message": "Successfully received submission info",
                          "name": record["name"], "status": status}))
        return 0

    if command == "log":
        if not record["complete"]:
            print("Error: Submission log is not yet available or submissionId does not exist.", file=sys.stderr)
            return 1
        bundle = record["bundle"]
        issues = [{
            "severity": issue.get("severity", "error"), "code": None,
            "path": f"{record['name']}/{bundle}/{issue['path']}", "message": issue["message"],
            "docUrl": "https://developer.apple.com/documentation/security/notarizing_macos_software_before_distribution/resolving_common_notarization_issues",
            "architecture": issue.get("architecture", "arm64"),
        } for issue in scenario.get("issues", [])]
        summary = {"Accepted": "Ready for distribution", "Invalid": "Archive contains critical validation errors",
                   "Rejected": "Team is not yet configured for notarization."}[verdict]
        print(json.dumps({
            "logFormatVersion": 1, "jobId": submission, "status": verdict, "statusSummary": summary,
            "statusCode": {"Accepted": 0, "Invalid": 4000, "Rejected": 7000}[verdict],
            "archiveFilename": record["name"], "uploadDate": "2026-11-25T10:00:00.000Z", "sha256": "0" * 64,
            "ticketContents": [{"path": path, "digestAlgorithm": "SHA-256", "cdhash": h, "arch": "arm64"}
                               for path, h in record["hashes"] if h and not h.startswith("sha256:")] if verdict == "Accepted" else None,
            "issues": issues or None,
        }, indent=2))
        return 0

    print(f"Error: Unknown subcommand '{command}'", file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
