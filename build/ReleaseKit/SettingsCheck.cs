using ReleaseKit.Settings;
using ReleaseKit.Tooling;

namespace ReleaseKit;

/// <summary>
/// Gathers the problems of every stage about to run, and the tools they need that are missing,
/// so a release engineer fixes them all in one go instead of meeting them one by one an hour into
/// a release. The rules are the stages' own (their options' Parse); this only knows which stages ask.
/// </summary>
public sealed class SettingsCheck(ReleaseOptions options, ToolLocator tools)
{
    /// <param name="stages">The stages scheduled for this run.</param>
    /// <param name="uploadRequested">Upload was asked for by name, so missing R2 settings are an error rather than a skip.</param>
    public IReadOnlyList<string> Check(ReleaseStage stages, bool uploadRequested = false)
    {
        var problems = new List<string>();
        var needed = new List<(ExternalTool Tool, ReleaseStage Stage)>();
        void Gather<T>(ReleaseStage stage, Parsed<T> parsed, bool withTools = true) where T : class
        {
            problems.AddRange(parsed.Problems);
            if (withTools)
                needed.AddRange(parsed.Tools.Select(x => (x, stage)));
        }

        if (options.AppNameProblem is { } appName)
            problems.Add(appName);
        if (stages != ReleaseStage.None)
            Gather(ReleaseStage.None, options.Version);
        if ((stages & (ReleaseStage.Bundle | ReleaseStage.Sign | ReleaseStage.Notarize | ReleaseStage.Verify)) != 0)
            Gather(ReleaseStage.None, options.MacOsMinimum);
        if ((stages & (ReleaseStage.FetchPython | ReleaseStage.Bundle)) != 0)
            Gather(ReleaseStage.FetchPython, options.Python, withTools: stages.HasFlag(ReleaseStage.FetchPython));
        if (stages.HasFlag(ReleaseStage.Bundle))
            Gather(ReleaseStage.Bundle, options.Bundle);
        // Sign uses what ImportCertificate imports, so a half-given certificate is Sign's problem too.
        if ((stages & (ReleaseStage.ImportCertificate | ReleaseStage.Sign)) != 0)
            Gather(ReleaseStage.ImportCertificate, options.Certificate, withTools: stages.HasFlag(ReleaseStage.ImportCertificate));
        if (stages.HasFlag(ReleaseStage.Sign))
            Gather(ReleaseStage.Sign, options.Signing);
        if (stages.HasFlag(ReleaseStage.Notarize) && !options.SkipNotarize)
            Gather(ReleaseStage.Notarize, options.Notary);
        if (stages.HasFlag(ReleaseStage.Package))
            Gather(ReleaseStage.Package, options.Package);
        if (stages.HasFlag(ReleaseStage.Upload) && (options.UploadConfigured || uploadRequested))
            Gather(ReleaseStage.Upload, options.Upload);
        if (stages.HasFlag(ReleaseStage.Verify))
            Gather(ReleaseStage.Verify, options.Verify);
        if (stages.HasFlag(ReleaseStage.Promote))
            Gather(ReleaseStage.Promote, options.Promote);

        // Each missing tool once, named with the first stage that runs it.
        foreach (var (tool, stage) in needed.DistinctBy(x => x.Tool.Name))
        {
            if (tools.TryFind(tool.Name) is null)
                problems.Add($"{ToolLocator.DescribeMissing(tool)} ({stage} needs it)");
        }

        return problems;
    }

    public void EnsureValid(ReleaseStage stages, bool uploadRequested = false)
    {
        var problems = Check(stages, uploadRequested);
        if (problems.Count > 0)
            throw new SettingsException(problems);
    }
}
