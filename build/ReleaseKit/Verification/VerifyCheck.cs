namespace ReleaseKit.Verification;

/// <summary>One row of Verify's table. Report-only rows are shown but never fail the run.</summary>
public sealed record VerifyCheck(string Subject, string Check, bool Passed, string Detail, bool ReportOnly = false)
{
    public bool Fails => !Passed && !ReportOnly;

    public string Result => Passed ? "ok" : ReportOnly ? "reported" : "FAILED";
}
