using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Nuke.Common;
using ReleaseKit.Settings;

partial class Build
{
    static IReadOnlyCollection<string> CarriedVariables = [];

    /// <summary>
    /// NUKE reads any argument starting with '-' as a flag, so `--sign-id -` would silently leave
    /// SignId unset. Such values go to NUKE through the environment (see DashedValues); what cannot
    /// be carried stops the build here with the fix, before NUKE starts.
    /// </summary>
    static int? CarryDashedValues()
    {
        var result = DashedValues.Find(Environment.GetCommandLineArgs().Skip(1).ToArray(), DeclaredParameters().ToArray());
        if (result.Problems.Count > 0)
        {
            foreach (var problem in result.Problems)
                Console.Error.WriteLine($"error: {problem}");
            return 2;
        }

        foreach (var (name, value) in result.Values)
            Environment.SetEnvironmentVariable(name, value);
        CarriedVariables = result.Values.Keys.ToArray();
        return null;
    }

    // The values are injected by now, NUKE's own --skip included (read after OnBuildInitialized,
    // as the first target starts); the tools the targets start need not see them again.
    protected override void OnTargetRunning(string target)
    {
        base.OnTargetRunning(target);
        foreach (var name in CarriedVariables)
            Environment.SetEnvironmentVariable(name, null);
        CarriedVariables = [];
    }

    static IEnumerable<DashedValues.Parameter> DeclaredParameters()
    {
        for (var type = typeof(Build); type != null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            {
                if (member.GetCustomAttribute<ParameterAttribute>() is not { } attribute)
                    continue;
                var memberType = member is FieldInfo field ? field.FieldType : ((PropertyInfo)member).PropertyType;
                var kind = type != typeof(Build) ? DashedValues.Kind.Nuke
                    : memberType == typeof(bool) ? DashedValues.Kind.Switch
                    : DashedValues.Kind.Value;
                yield return new DashedValues.Parameter(attribute.Name ?? member.Name, kind, member.GetCustomAttribute<SecretAttribute>() != null);
            }
        }
    }
}
