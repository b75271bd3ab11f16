using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Natives;

public sealed class SocketTests
{
    private static async Task<(string[] Lines, IReadOnlyList<string> Missing)> RunFixture(string fixture)
    {
        using var output = new MemoryStream();
        using var vm = HlVm.LoadFile(HaxeFixtures.Compile(fixture), new HlVmOptions { StandardOutput = output });
        var missing = vm.MissingNatives;

        // Bounded: a socket that never times out fails the test instead of hanging the suite.
        await Task.Run(vm.RunEntry).WaitAsync(TimeSpan.FromSeconds(60));

        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (lines, missing);
    }

    [Fact]
    public async Task Tcp_and_udp_sockets_on_loopback_behave_as_in_HashLink()
    {
        var (lines, missing) = await RunFixture("Sockets");

        Assert.DoesNotContain(missing, n => n.Contains("socket", StringComparison.Ordinal) || n.Contains("host_", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
        Assert.Equal(
            ["ok host-to-string", "ok host-name", "ok host-ip-order", "ok host-short-form", "ok host-localhost",
             "ok peer", "ok local-address", "ok echo", "ok eof-after-peer-close", "ok server", "ok connect-refused",
             "ok accept-timeout", "ok read-timeout", "ok accept-nonblocking", "ok read-nonblocking",
             "ok select-idle", "ok select-writable", "ok select-readable", "ok select-read-byte",
             "ok shutdown-write", "ok udp-roundtrip", "ok udp-sender", "ok udp-fast-send-refused", "done"],
            lines);
    }

    [Fact]
    public async Task Ssl_natives_bind_and_raise_a_catchable_error()
    {
        var (lines, missing) = await RunFixture("SslUnsupported");

        Assert.DoesNotContain(missing, n => n.StartsWith("ssl@", StringComparison.Ordinal));
        const string Error = "SSL is not supported in HlSharp";
        Assert.Equal(
            [$"ok cert-load-defaults: {Error}", $"ok cert-load-file: {Error}", $"ok cert-from-string: {Error}",
             $"ok key-read-pem: {Error}", $"ok digest-make: {Error}", "ok ssl-socket-new", $"ok ssl-socket-connect: {Error}", "done"],
            lines);
    }
}
