using System.Text.Json;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Cli;

/// <summary>The tool's runtime settings (HlSharp.Cli.csproj) as the runtime reads them: from the tool's runtimeconfig.json.</summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_tool_starts_promoting_hot_methods_after_30_ms_without_new_compiles()
    {
        var config = Path.ChangeExtension(HlSharpCli.DllPath, ".runtimeconfig.json");
        using var json = JsonDocument.Parse(File.ReadAllText(config));

        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(30, properties.GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32());
    }
}
