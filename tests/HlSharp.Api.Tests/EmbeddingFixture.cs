using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>Loads the Embedding fixture (tests/fixtures/Embedding), a program made to be driven by a host.</summary>
internal static class EmbeddingFixture
{
    public static HlVm Load(HlVmOptions? options = null, bool run = true)
    {
        var vm = HlVm.LoadFile(HaxeFixtures.Compile("Embedding"), options ?? new HlVmOptions { StandardOutput = new MemoryStream() });
        if (run)
        {
            vm.RunEntry();
        }

        return vm;
    }
}
