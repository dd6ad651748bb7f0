namespace ReleaseKit.Verification;

/// <summary>One row of Verify's table. Report-only rows are shown but never fail the run.</summary>
public sealed record VerifyCheck(string Subject, string Check, bool Passed, string Detail, bool ReportOnly = false)
{
    public bool Fails => !Passed && !ReportOnly;

    public string Result => Passed ? "ok" : ReportOnly ? "reported" : "FAILED";

    /// <summary>Logs each check as a row of Verify's table.</summary>
    public static IReadOnlyList<VerifyCheck> Report(IReadOnlyList<VerifyCheck> checks)
    {
        foreach (var check in checks)
            Serilog.Log.Information("{Subject,-40:l} {Check,-20:l} {Result,-9:l} {Detail:l}", check.Subject, check.Check, check.Result, check.Detail);
        return checks;
    }

    /// <summary>The failed checks for an error message, each with its subject.</summary>
    public static string Describe(IEnumerable<VerifyCheck> failures) => string.Join("; ", failures.Select(x => $"{x.Subject}: {x.Check} ({x.Detail})"));
}
