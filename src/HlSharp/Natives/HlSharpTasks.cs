using HlSharp.Engine;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// The <c>hlsharp</c> library's threads with a result (<c>hlsharp.thread.Task</c>): a Haxe thread
/// started through <see cref="StdThread.Start"/> whose return value or exception its joiner gets.
/// </summary>
internal static class HlSharpTasks
{
    /// <summary>One started task: its thread's handle and, once it ended, its result or exception.</summary>
    internal sealed class HaxeTask(StdThread.ThreadHandle handle, int id)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private object? _result;
        private Exception? _failure;
        private bool _detached;

        public StdThread.ThreadHandle Handle { get; } = handle;

        public int Id { get; } = id;

        public bool IsDone => _done.Task.IsCompleted;

        public bool IsDetached => Volatile.Read(ref _detached);

        public void Run(NativeContext m, HlClosure body)
        {
            try
            {
                _result = m.Runtime.CallDynamic(body, []);
            }
            catch (Exception e) when (e is not (HaxeExit or VmDisposedStop or HaxeCallCanceledException))
            {
                lock (_done)
                {
                    _failure = e;
                    if (_detached)
                    {
                        // Nobody will join it: report it as any uncaught exception on a thread.
                        throw;
                    }
                }
            }
            finally
            {
                _done.SetResult();
            }
        }

        public bool Wait(NativeContext m, TimeSpan timeout) => IsDone || m.Stop.Block(timeout, (token, left) => _done.Task.Wait(left, token));

        public object? Result(NativeContext m)
        {
            if (!IsDone)
            {
                throw m.Runtime.MakeError($"Task #{Id} has not finished: join it first");
            }

            return _failure is { } failure ? throw new HaxeThrow(m.Runtime.ValueOf(failure), failure) : _result;
        }

        public void Detach(NativeContext m)
        {
            lock (_done)
            {
                if (_detached)
                {
                    return;
                }

                _detached = true;
                if (_failure is { } failure)
                {
                    m.ReportUncaught(failure);
                }

                _result = null;
            }
        }
    }

    [HlNative("hlsharp", "task_spawn")]
    public static HaxeTask Spawn(NativeContext m, HlClosure body, HlBytes? name, int nameLength)
    {
        var handle = new StdThread.ThreadHandle { Name = name?.ReadUcs2(nameLength) };
        var task = new HaxeTask(handle, m.ThreadLibrary.IdOf(handle));
        StdThread.Start(m, handle, () => task.Run(m, body));
        return task;
    }

    [HlNative("hlsharp", "task_wait")]
    public static bool Wait(NativeContext m, HaxeTask task, object? timeoutSeconds)
    {
        if (ReferenceEquals(task.Handle, m.CurrentThreadHandle))
        {
            throw m.Runtime.MakeError($"Task #{task.Id} can't join itself: it would wait forever");
        }

        if (task.IsDetached)
        {
            throw m.Runtime.MakeError($"Task #{task.Id} was detached: it can't be joined");
        }

        return task.Wait(m, WaitTimeouts.FromSeconds(timeoutSeconds));
    }

    [HlNative("hlsharp", "task_result")]
    public static object? Result(NativeContext m, HaxeTask task) => task.Result(m);

    [HlNative("hlsharp", "task_is_alive")]
    public static bool IsAlive(HaxeTask task) => !task.IsDone;

    [HlNative("hlsharp", "task_detach")]
    public static void Detach(NativeContext m, HaxeTask task) => task.Detach(m);

    [HlNative("hlsharp", "task_id")]
    public static int Id(HaxeTask task) => task.Id;

    [HlNative("hlsharp", "thread_current_id")]
    public static int CurrentId(NativeContext m) => m.ThreadLibrary.IdOf(m.CurrentThreadHandle);

    [HlNative("hlsharp", "thread_set_current_name")]
    public static void SetCurrentName(NativeContext m, HlBytes? name, int length) => m.CurrentThreadHandle.Name = name?.ReadUcs2(length);

    [HlNative("hlsharp", "thread_current_name")]
    public static HlBytes? CurrentName(NativeContext m) => m.CurrentThreadHandle.Name is { } name ? HlBytes.FromString(name) : null;

    [HlNative("hlsharp", "thread_yield")]
    public static void Yield(NativeContext m)
    {
        m.Stop.ThrowIfRequested();
        Thread.Yield();
    }

    [HlNative("hlsharp", "thread_sleep")]
    public static void Sleep(NativeContext m, double seconds) => m.Stop.Sleep(WaitTimeouts.FromSeconds(seconds));
}
