using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// The <c>hlsharp</c> library's channels (<c>hlsharp.thread.Channel</c>): a first-in first-out
/// queue of messages between threads, bounded (senders wait while it is full) or not, that can be
/// closed: then sending fails and receivers drain what is left. Operations answer a
/// <see cref="Outcome"/> and the Haxe side turns <see cref="Outcome.Closed"/> into its exception.
/// </summary>
internal static class HlSharpChannels
{
    /// <summary>What a send or receive did; the Haxe side reads the numbers.</summary>
    internal enum Outcome
    {
        /// <summary>The message was sent or received.</summary>
        Done = 0,

        /// <summary>The channel was full (send) or empty (receive) until the timeout passed.</summary>
        TimedOut = 1,

        /// <summary>The channel is closed (send), or closed and drained (receive).</summary>
        Closed = 2,
    }

    internal sealed class HaxeChannel(int capacity)
    {
        private readonly Queue<object?> _items = new();
        private bool _closed;
        private int _waitingSenders;
        private int _waitingReceivers;

        /// <summary>Zero when unbounded.</summary>
        public int Capacity { get; } = capacity;

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsClosed
        {
            get
            {
                lock (_items)
                {
                    return _closed;
                }
            }
        }

        public Outcome Send(NativeContext m, object? value, TimeSpan timeout)
        {
            var deadline = Deadline(timeout);
            lock (_items)
            {
                while (true)
                {
                    if (_closed)
                    {
                        return Outcome.Closed;
                    }

                    if (Capacity == 0 || _items.Count < Capacity)
                    {
                        _items.Enqueue(value);
                        if (_waitingReceivers > 0)
                        {
                            Monitor.PulseAll(_items);
                        }

                        return Outcome.Done;
                    }

                    if (!WaitForChange(m, deadline, ref _waitingSenders))
                    {
                        return Outcome.TimedOut;
                    }
                }
            }
        }

        public Outcome Receive(NativeContext m, HlRef<object?> into, TimeSpan timeout)
        {
            var deadline = Deadline(timeout);
            lock (_items)
            {
                while (true)
                {
                    if (_items.TryDequeue(out var value))
                    {
                        into.Value = value;
                        if (_waitingSenders > 0)
                        {
                            Monitor.PulseAll(_items);
                        }

                        return Outcome.Done;
                    }

                    if (_closed)
                    {
                        return Outcome.Closed;
                    }

                    if (!WaitForChange(m, deadline, ref _waitingReceivers))
                    {
                        return Outcome.TimedOut;
                    }
                }
            }
        }

        /// <summary>Closes the channel and wakes every waiter; false if it was closed already.</summary>
        public bool Close()
        {
            lock (_items)
            {
                if (_closed)
                {
                    return false;
                }

                _closed = true;
                Monitor.PulseAll(_items);
                return true;
            }
        }

        private static DateTime? Deadline(TimeSpan timeout) =>
            timeout == Timeout.InfiniteTimeSpan ? null : DateTime.UtcNow + timeout;

        // Waits (holding _items) for another thread to change the channel, at most one slice of VmStop.MonitorWait; false once the deadline passed. The caller checks again.
        private bool WaitForChange(NativeContext m, DateTime? deadline, ref int waiting)
        {
            var left = deadline is { } d ? d - DateTime.UtcNow : Timeout.InfiniteTimeSpan;
            if (deadline is not null && left <= TimeSpan.Zero)
            {
                return false;
            }

            waiting++;
            try
            {
                m.Stop.MonitorWait(_items, left);
            }
            finally
            {
                waiting--;
            }

            return true;
        }
    }

    [HlNative("hlsharp", "channel_alloc")]
    public static HaxeChannel Alloc(NativeContext m, int capacity) =>
        capacity >= 0 ? new HaxeChannel(capacity) : throw m.Runtime.MakeError($"A Channel's capacity can't be negative ({capacity}); 0 or none means unbounded");

    [HlNative("hlsharp", "channel_send")]
    public static int Send(NativeContext m, HaxeChannel channel, object? value, object? timeoutSeconds) =>
        (int)channel.Send(m, value, WaitTimeouts.FromSeconds(timeoutSeconds));

    [HlNative("hlsharp", "channel_try_send")]
    public static int TrySend(NativeContext m, HaxeChannel channel, object? value) => (int)channel.Send(m, value, TimeSpan.Zero);

    [HlNative("hlsharp", "channel_receive")]
    public static int Receive(NativeContext m, HaxeChannel channel, object? timeoutSeconds, HlRef<object?> into) =>
        (int)channel.Receive(m, into, WaitTimeouts.FromSeconds(timeoutSeconds));

    [HlNative("hlsharp", "channel_try_receive")]
    public static int TryReceive(NativeContext m, HaxeChannel channel, HlRef<object?> into) => (int)channel.Receive(m, into, TimeSpan.Zero);

    [HlNative("hlsharp", "channel_close")]
    public static bool Close(HaxeChannel channel) => channel.Close();

    [HlNative("hlsharp", "channel_is_closed")]
    public static bool IsClosed(HaxeChannel channel) => channel.IsClosed;

    [HlNative("hlsharp", "channel_length")]
    public static int Length(HaxeChannel channel) => channel.Count;

    [HlNative("hlsharp", "channel_capacity")]
    public static int Capacity(HaxeChannel channel) => channel.Capacity;
}
