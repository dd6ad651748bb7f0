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
/// and a build provenance attestation of the artifacts (NUKE's permissions cannot name attestations).
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

    public override ConfigurationEntity GetConfiguration(IReadOnlyCollection<ExecutableTarget> relevantTargets)
    {
        var configuration = base.GetConfiguration(relevantTargets);
        return AttestSubjects.Length == 0 ? configuration : new WithAttestationPermissions(configuration);
    }

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
            job.Steps = job.Steps.Take(1).Append(new ScriptStep(Script)).ToArray();
        else if (AttestSubjects.Length > 0)
        {
            var build = Array.FindIndex(job.Steps, x => x is GitHubActionsRunStep);
            job.Steps = job.Steps.Take(build + 1).Append(new AttestStep(AttestSubjects)).Concat(job.Steps.Skip(build + 1)).ToArray();
        }

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

    class AttestStep(string[] subjects) : GitHubActionsStep
    {
        public override void Write(CustomFileWriter writer)
        {
            writer.WriteLine("- name: 'Attest: build provenance'");
            writer.WriteLine("  uses: actions/attest-build-provenance@v2");
            using var indent = writer.Indent();
            writer.WriteLine("with:");
            using var with = writer.Indent();
            writer.WriteLine("subject-path: |");
            using var paths = writer.Indent();
            foreach (var subject in subjects)
                writer.WriteLine(subject);
        }
    }

    /// <summary>
    /// The workflow as NUKE writes it, with the permissions an attestation needs before its jobs:
    /// an OIDC token for the Sigstore certificate, and the right to store the attestation.
    /// </summary>
    class WithAttestationPermissions(ConfigurationEntity workflow) : ConfigurationEntity
    {
        public override void Write(CustomFileWriter writer)
        {
            using var buffer = new System.IO.MemoryStream();
            using (var stream = new System.IO.StreamWriter(buffer, leaveOpen: true))
                workflow.Write(new CustomFileWriter(stream, indentationFactor: 2, commentPrefix: "#"));
            var lines = System.Text.Encoding.UTF8.GetString(buffer.ToArray()).ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').ToList();
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
