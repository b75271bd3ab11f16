using System.Text;

namespace HlSharp.Threading;

/// <summary>
/// Who holds which VM lock and which thread waits for which lock, kept only while a VM detects
/// deadlocks (<see cref="HlVmOptions.DetectDeadlocks"/>). A thread about to wait without a timeout
/// asks <see cref="BeginWait"/> first: if the lock's holder waits, directly or along a chain, for
/// a lock the asking thread holds, the wait would never end, and the asking thread (the one that
/// closes the cycle) gets the cycle described instead of waiting. Threads and locks are opaque
/// keys here; the caller names them. Every change happens under one lock, so a cycle seen is a
/// cycle that exists: a thread is recorded as waiting until it holds the lock it waited for.
/// </summary>
internal sealed class WaitForGraph(Func<object, string> describeThread, Func<object, string> describeLock)
{
    private readonly Lock _sync = new();
    private readonly Dictionary<object, Holding> _holders = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, object> _waits = new(ReferenceEqualityComparer.Instance);

    /// <summary>Records that <paramref name="thread"/> took <paramref name="lockKey"/> (once more, if it held it already).</summary>
    public void Acquired(object lockKey, object thread)
    {
        lock (_sync)
        {
            Take(lockKey, thread);
        }
    }

    /// <summary>Records one release of <paramref name="lockKey"/> by its holder.</summary>
    public void Releasing(object lockKey)
    {
        lock (_sync)
        {
            if (_holders.TryGetValue(lockKey, out var holding) && --holding.Depth == 0)
            {
                _holders.Remove(lockKey);
            }
        }
    }

    /// <summary>
    /// Records that <paramref name="thread"/> is about to wait for <paramref name="lockKey"/>, or,
    /// when that wait closes a cycle, records nothing and returns the cycle described, starting
    /// with <paramref name="thread"/>.
    /// </summary>
    public string? BeginWait(object thread, object lockKey)
    {
        lock (_sync)
        {
            var chain = new List<(object Thread, object Lock)> { (thread, lockKey) };
            var wanted = lockKey;
            while (_holders.TryGetValue(wanted, out var holding))
            {
                if (ReferenceEquals(holding.Thread, thread))
                {
                    return Describe(chain);
                }

                if (!_waits.TryGetValue(holding.Thread, out var next) || chain.Count > _waits.Count)
                {
                    break;
                }

                chain.Add((holding.Thread, next));
                wanted = next;
            }

            _waits[thread] = lockKey;
            return null;
        }
    }

    /// <summary>Ends the wait <see cref="BeginWait"/> recorded; <paramref name="acquired"/> tells whether the thread now holds the lock.</summary>
    public void EndWait(object thread, object lockKey, bool acquired)
    {
        lock (_sync)
        {
            _waits.Remove(thread);
            if (acquired)
            {
                Take(lockKey, thread);
            }
        }
    }

    private void Take(object lockKey, object thread)
    {
        if (_holders.TryGetValue(lockKey, out var holding))
        {
            holding.Depth++;
        }
        else
        {
            _holders[lockKey] = new Holding(thread);
        }
    }

    private string Describe(List<(object Thread, object Lock)> chain)
    {
        var text = new StringBuilder("Deadlock: ");
        for (var i = 0; i < chain.Count; i++)
        {
            var (thread, lockKey) = chain[i];
            var holder = chain[(i + 1) % chain.Count].Thread;
            text.Append(i == 0 ? "thread " : ", which waits for ").Append(i == 0 ? describeThread(thread) + " waits for " : "")
                .Append(describeLock(lockKey)).Append(" held by thread ").Append(describeThread(holder));
        }

        return text.ToString();
    }

    private sealed class Holding(object thread)
    {
        public object Thread { get; } = thread;

        public int Depth { get; set; } = 1;
    }
}
