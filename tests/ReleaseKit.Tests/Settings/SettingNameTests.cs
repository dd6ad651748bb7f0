using ReleaseKit.Settings;

namespace ReleaseKit.Tests.Settings;

public class SettingNameTests
{
    [Theory]
    [InlineData("SignId", "--sign-id", "SIGN_ID")]
    [InlineData("R2AccessKeyId", "--r2-access-key-id", "R2_ACCESS_KEY_ID")]
    [InlineData("R2SecretAccessKey", "--r2-secret-access-key", "R2_SECRET_ACCESS_KEY")]
    [InlineData("CpythonUrl", "--cpython-url", "CPYTHON_URL")]
    [InlineData("CpythonSha256", "--cpython-sha256", "CPYTHON_SHA256")]
    [InlineData("AppleAppSpecificPassword", "--apple-app-specific-password", "APPLE_APP_SPECIFIC_PASSWORD")]
    [InlineData("Version", "--version", "VERSION")]
    public void Spells_a_parameter_as_the_flag_and_the_environment_variable_NUKE_binds(string parameter, string flag, string variable)
    {
        SettingName.Flag(parameter).Should().Be(flag);
        SettingName.EnvironmentVariable(parameter).Should().Be(variable);
    }

    public static TheoryData<string> SettingProperties() =>
        new(Support.ReleaseParameters.Names);

    [Theory]
    [MemberData(nameof(SettingProperties))]
    public void Every_spelling_binds_back_to_its_parameter_the_way_NUKE_compares_names(string parameter)
    {
        // NUKE removes dashes from flags, and every non-alphanumeric character from variables, then ignores case.
        static string Reduce(string name) => new string(name.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();

        Reduce(SettingName.Flag(parameter)).Should().Be(parameter.ToUpperInvariant());
        Reduce(SettingName.EnvironmentVariable(parameter)).Should().Be(parameter.ToUpperInvariant());
    }
}
