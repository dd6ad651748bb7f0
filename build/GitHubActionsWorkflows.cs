using System;
using System.Collections.Generic;
using System.Linq;
using Nuke.Common.CI;
using Nuke.Common.CI.GitHubActions;
using Nuke.Common.CI.GitHubActions.Configuration;
using Nuke.Common.Execution;
using Nuke.Common.Utilities;

/// <summary>
/// NUKE's GitHub Actions attribute, plus what it cannot say: defaults for workflow_dispatch inputs,
/// fixed environment variables for the build step, a job that runs a script instead of the build,
/// a build provenance attestation of the artifacts (NUKE's permissions cannot name attestations),
/// a last build step after the artifacts are published, and the current major of each action.
/// </summary>
class WorkflowAttribute : GitHubActionsAttribute
{
    public WorkflowAttribute(string name, GitHubActionsImage image, params GitHubActionsImage[] images)
        : base(name, image, images)
    {
    }

    /// <summary>"input=value": the value a dispatched run gets when the input is left empty in the form.</summary>
    public string[] InputDefaults { get; set; } = [];

    /// <summary>"NAME=value": set for the build step in every job that runs the build.</summary>
    public string[] Environment { get; set; } = [];

    /// <summary>Jobs on this image run the script instead of the build (e.g. the test suite on Linux).</summary>
    public GitHubActionsImage ScriptImage { get; set; }

    public string Script { get; set; }

    /// <summary>Paths (globs) attested with actions/attest-build-provenance after the build step.</summary>
    public string[] AttestSubjects { get; set; } = [];

    /// <summary>A workflow_dispatch input that turns the attestation off when set to "false".</summary>
    public string AttestInput { get; set; }

    /// <summary>Appended to the build step's targets, e.g. "--skip Upload".</summary>
    public string BuildArguments { get; set; }

    /// <summary>Arguments of a second build step after attestation and artifact publishing, e.g. "Upload --skip ...".</summary>
    public string FinalArguments { get; set; }

    // The current major of each action NUKE 10.1 writes an older one of: all run on Node 24, which
    // runners force since June 2026 (Node 20 was removed in September 2026). Checked against each
    // action's releases in December 2026: checkout v7.0.1, cache v6.1.0, upload-artifact v7.0.1,
    // attest-build-provenance v4 (a wrapper of actions/attest v4).
    static readonly (string Written, string Current)[] ActionVersions =
    [
        ("actions/checkout@v6", "actions/checkout@v7"),
        ("actions/cache@v4", "actions/cache@v6"),
        ("actions/upload-artifact@v5", "actions/upload-artifact@v7"),
    ];

    const string AttestAction = "actions/attest-build-provenance@v4";

    public override ConfigurationEntity GetConfiguration(IReadOnlyCollection<ExecutableTarget> relevantTargets) =>
        new Rewritten(base.GetConfiguration(relevantTargets), AttestSubjects.Length > 0);

    protected override IEnumerable<GitHubActionsDetailedTrigger> GetTriggers() =>
        base.GetTriggers().Select(trigger => trigger is GitHubActionsWorkflowDispatchTrigger dispatch
            ? new DispatchWithDefaults(dispatch, InputDefaults.Select(Split).ToDictionary(x => x.Key, x => x.Value))
            : trigger);

    protected override IEnumerable<(string Key, string Value)> GetImports() =>
        Environment.Select(Split).Select(x => (x.Key, x.Value.DoubleQuote())).Concat(base.GetImports());

    protected override GitHubActionsJob GetJobs(GitHubActionsImage image, IReadOnlyCollection<ExecutableTarget> relevantTargets)
    {
        var job = base.GetJobs(image, relevantTargets);
        if (Script != null && image == ScriptImage)
        {
            job.Steps = job.Steps.Take(1).Append(new ScriptStep(Script)).ToArray();
            return job;
        }

        var steps = job.Steps.ToList();
        var build = steps.FindIndex(x => x is GitHubActionsRunStep);
        var imports = GetImports().ToArray();
        if (BuildArguments != null)
            steps[build] = new BuildStep($"{string.Join(' ', InvokedTargets)} {BuildArguments}", imports);
        if (AttestSubjects.Length > 0)
            steps.Insert(build + 1, new AttestStep(AttestSubjects, AttestInput));
        // Last, so that nothing leaves the runner before the build, Verify, the attestation and the artifact all succeeded.
        if (FinalArguments != null)
            steps.Add(new BuildStep(FinalArguments, imports));
        job.Steps = steps.ToArray();
        return job;
    }

    static KeyValuePair<string, string> Split(string assignment)
    {
        var index = assignment.IndexOf('=');
        return index > 0
            ? new KeyValuePair<string, string>(assignment[..index], assignment[(index + 1)..])
            : throw new ArgumentException($"'{assignment}' is not NAME=value");
    }

    class DispatchWithDefaults(GitHubActionsWorkflowDispatchTrigger dispatch, IReadOnlyDictionary<string, string> defaults)
        : GitHubActionsDetailedTrigger
    {
        public override void Write(CustomFileWriter writer)
        {
            writer.WriteLine("workflow_dispatch:");
            using var inputs = writer.Indent();
            writer.WriteLine("inputs:");
            using var entries = writer.Indent();
            foreach (var (input, required) in dispatch.OptionalInputs.Select(x => (x, false)).Concat(dispatch.RequiredInputs.Select(x => (x, true))))
            {
                writer.WriteLine($"{input}:");
                using var properties = writer.Indent();
                writer.WriteLine($"description: {input.DoubleQuote()}");
                writer.WriteLine($"required: {required.ToString().ToLowerInvariant()}");
                if (defaults.TryGetValue(input, out var value))
                    writer.WriteLine($"default: {value.DoubleQuote()}");
            }
        }
    }

    class AttestStep(string[] subjects, string input) : GitHubActionsStep
    {
        public override void Write(CustomFileWriter writer)
        {
            writer.WriteLine("- name: 'Attest: build provenance'");
            using var indent = writer.Indent();
            if (input != null)
                writer.WriteLine($"if: github.event.inputs.{input} != 'false'");
            writer.WriteLine($"uses: {AttestAction}");
            writer.WriteLine("with:");
            using var with = writer.Indent();
            writer.WriteLine("subject-path: |");
            using var paths = writer.Indent();
            foreach (var subject in subjects)
                writer.WriteLine(subject);
        }
    }

    class BuildStep(string arguments, (string Key, string Value)[] imports) : GitHubActionsStep
    {
        public override void Write(CustomFileWriter writer)
        {
            writer.WriteLine($"- name: {("Run: " + arguments).SingleQuote()}");
            using var indent = writer.Indent();
            writer.WriteLine($"run: ./build.cmd {arguments}");
            if (imports.Length == 0)
                return;
            writer.WriteLine("env:");
            using var env = writer.Indent();
            foreach (var (key, value) in imports)
                writer.WriteLine($"{key}: {value}");
        }
    }

    /// <summary>
    /// The workflow as NUKE writes it, with current action versions and, for an attestation, the
    /// permissions it needs before the jobs: an OIDC token for the Sigstore certificate, and the
    /// right to store the attestation.
    /// </summary>
    class Rewritten(ConfigurationEntity workflow, bool attests) : ConfigurationEntity
    {
        public override void Write(CustomFileWriter writer)
        {
            using var buffer = new System.IO.MemoryStream();
            using (var stream = new System.IO.StreamWriter(buffer, leaveOpen: true))
                workflow.Write(new CustomFileWriter(stream, indentationFactor: 2, commentPrefix: "#"));
            var text = System.Text.Encoding.UTF8.GetString(buffer.ToArray()).ReplaceLineEndings("\n").TrimEnd('\n');
            foreach (var (written, current) in ActionVersions)
                text = text.Replace(written, current);
            var lines = text.Split('\n').ToList();
            if (attests)
                lines.InsertRange(lines.IndexOf("jobs:"), ["permissions:", "  contents: read", "  id-token: write", "  attestations: write", ""]);
            lines.ForEach(x => writer.WriteLine(x));
        }
    }

    class ScriptStep(string script) : GitHubActionsStep
    {
        public override void Write(CustomFileWriter writer)
        {
            writer.WriteLine($"- name: {("Run: " + script).SingleQuote()}");
            writer.WriteLine($"  run: {script}");
        }
    }
}
