using ReleaseKit.Notarization;

namespace ReleaseKit.Tests.Notarization;

public class NotaryOutputTests
{
    private const string Id = "2efe2717-52ef-43a5-96dc-0797e4ca1041";

    [Fact]
    public void Reads_the_JSON_object_even_after_log_lines()
    {
        var response = NotaryResponse.Parse(0, $"Conducting pre-submission checks\n{{\"id\":\"{Id}\",\"status\":\"Invalid\",\"message\":\"Processing complete\"}}\n", "");

        response.Should().Match<NotaryResponse>(x => x.Id == Id && x.Status == "Invalid" && x.Message == "Processing complete" && x.IsFinal);
    }

    [Theory]
    [InlineData(1, "", "Error: MultipartUploadError(underlyingError: Optional(Error Domain=NSURLErrorDomain Code=-1001))", null, "Error: MultipartUploadError")]
    [InlineData(137, "", "", null, "notarytool exited with 137 and printed nothing")]
    [InlineData(1, "", "Submission ID received\n  id: " + Id + "\nError: connection reset", Id, "Submission ID received")]
    [InlineData(0, "{\"id\":\"not-a-uuid\",\"status\":\"Accepted\"}", "", null, "{\"id\"")]
    public void Survives_plain_text_empty_output_and_odd_ids(int exitCode, string stdout, string stderr, string? id, string problem)
    {
        var response = NotaryResponse.Parse(exitCode, stdout, stderr);

        response.Id.Should().Be(id);
        response.Problem.Should().StartWith(problem);
    }

    [Theory]
    [InlineData("2h", 7200)]
    [InlineData("90m", 5400)]
    [InlineData("3600", 3600)]
    [InlineData("45s", 45)]
    public void Understands_notarytool_durations(string text, int seconds)
    {
        NotaryTimeout.TryParse(text)!.Duration.Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("2 hours")]
    [InlineData("-5m")]
    [InlineData("1.5h")]
    [InlineData("200h")]
    public void Refuses_what_notarytool_would_not_take(string text)
    {
        NotaryTimeout.TryParse(text).Should().BeNull();
    }

    [Theory]
    [InlineData("msty-mlx-studio-2.0.0.zip/msty-mlx-studio/python/lib/x.so", "python/lib/x.so")]
    [InlineData("msty-mlx-studio-2.0.0.zip/msty-mlx-studio/_vendor/a.whl/a/b.so", "_vendor/a.whl/a/b.so")]
    [InlineData("msty-mlx-studio-2.0.0.zip/msty-mlx-studio", "msty-mlx-studio")]
    [InlineData("elsewhere/x.so", "elsewhere/x.so")]
    public void Maps_Apples_paths_back_into_the_bundle(string path, string relative)
    {
        NotarizationLog.BundleRelative(path, "msty-mlx-studio").Should().Be(relative);
    }

    [Fact]
    public void Reads_a_log_with_missing_and_unknown_fields()
    {
        var log = NotarizationLog.TryParse("""
            { "status": "Invalid", "statusCode": 4000, "future": [1, 2], "ticketContents": null,
              "issues": [ { "path": "a.zip/app/x.so", "message": "The binary is not signed." }, { "severity": "warning", "code": null } ] }
            """, "app")!;

        log.Status.Should().Be("Invalid");
        log.StatusCode.Should().Be(4000);
        log.Errors.Should().ContainSingle().Which.Should().Be(new NotaryIssue("error", "x.so", null, "The binary is not signed.", null));
        log.Warnings.Should().ContainSingle().Which.Message.Should().Be("(no message)");
        NotarizationLog.TryParse("Error: Submission log is not yet available", "app").Should().BeNull();
    }
}
