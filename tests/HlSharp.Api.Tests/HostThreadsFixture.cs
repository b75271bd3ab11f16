using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// Loads the HostThreads fixture (tests/fixtures/HostThreads), with the host natives it calls:
/// <c>host.threadState</c>, <c>host.wait</c> and <c>host.callBack</c> do what the test passes (nothing by default);
/// as bytecode, or compiled ahead of time.
/// </summary>
internal static class HostThreadsFixture
{
    /// <summary>Generous limits for waits that only matter when something is broken.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static HlVm Load(
        Func<int>? threadState = null,
        Action? wait = null,
        Func<int, int>? callBack = null,
        bool autoRegister = false,
        Stream? stdout = null,
        Stream? stderr = null,
        Action<HlVm>? beforeRun = null,
        bool compiledAheadOfTime = false)
    {
        var options = new HlVmOptions
        {
            StandardOutput = stdout ?? new MemoryStream(),
            StandardError = stderr ?? new MemoryStream(),
            AutoRegisterThreads = autoRegister,
        };
        options.Natives.Add("host", "threadState", threadState ?? (() => 0));
        options.Natives.Add("host", "wait", wait ?? (() => { }));
        options.Natives.Add("host", "callBack", callBack ?? (n => n));
        var vm = compiledAheadOfTime
            ? HlVm.Load(CompiledFixtures.Load("HostThreads"), options)
            : HlVm.LoadFile(HaxeFixtures.Compile("HostThreads"), options);
        beforeRun?.Invoke(vm);
        vm.RunEntry();
        return vm;
    }

    /// <summary>Runs <paramref name="body"/> on a new thread named <paramref name="name"/> and returns what it threw, or null.</summary>
    public static Exception? OnNewThread(Action body, string name = "test worker")
    {
        Exception? thrown = null;
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
#pragma warning disable CA1031 // The test asserts on what the thread threw.
            catch (Exception e)
#pragma warning restore CA1031
            {
                thrown = e;
            }
        }) { Name = name, IsBackground = true };
        thread.Start();
        Assert.True(thread.Join(Patience), $"thread {name} did not finish");
        return thrown;
    }
}
