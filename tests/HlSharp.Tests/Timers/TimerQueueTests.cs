using HlSharp.Timers;

namespace HlSharp.Tests.Timers;

/// <summary>
/// <see cref="TimerQueue"/> against a sorted reference: random adds, removes of any entry (stops)
/// and takes of the earliest (firing), seeded so that a failure repeats; ties on the due time go
/// by sequence, and every entry knows its place (or -1 once out).
/// </summary>
public sealed class TimerQueueTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(2026)]
    public void Random_adds_removes_and_takes_match_a_sorted_reference(int seed)
    {
        var random = new Random(seed);
        var queue = new TimerQueue();
        var reference = new SortedSet<(long Due, long Sequence, int Id)>();
        var inQueue = new List<TimerEntry>();
        var sequence = 0L;
        var nextId = 0;

        for (var step = 0; step < 20_000; step++)
        {
            var action = random.Next(10);
            if (action < 5 || inQueue.Count == 0)
            {
                // Few distinct due times, so that ties are common.
                var entry = NewEntry(++nextId, due: random.Next(50), sequence: ++sequence);
                queue.Add(entry);
                reference.Add(Key(entry));
                inQueue.Add(entry);
            }
            else if (action < 8)
            {
                var entry = inQueue[random.Next(inQueue.Count)];
                queue.Remove(entry);
                Assert.True(reference.Remove(Key(entry)));
                inQueue.Remove(entry);
                Assert.Equal(-1, entry.QueueIndex);
            }
            else
            {
                var earliest = queue.Peek();
                Assert.NotNull(earliest);
                Assert.Equal(reference.Min, Key(earliest));
                queue.Remove(earliest);
                reference.Remove(reference.Min);
                inQueue.Remove(earliest);
            }

            Assert.Equal(reference.Count, queue.Count);
            (long, long, int)? expectedFirst = reference.Count == 0 ? null : reference.Min;
            (long, long, int)? first = queue.Peek() is { } peek ? Key(peek) : null;
            Assert.Equal(expectedFirst, first);
        }

        // Taking everything left gives the reference order exactly.
        var drained = new List<(long, long, int)>();
        while (queue.Peek() is { } next)
        {
            queue.Remove(next);
            drained.Add(Key(next));
        }

        Assert.Equal(reference, drained);
    }

    [Fact]
    public void Every_entry_knows_its_place_in_the_heap()
    {
        var random = new Random(7);
        var queue = new TimerQueue();
        var entries = Enumerable.Range(1, 500).Select(i => NewEntry(i, random.Next(100), i)).ToList();
        entries.ForEach(queue.Add);
        foreach (var entry in entries.Where((_, i) => i % 3 == 0))
        {
            queue.Remove(entry);
        }

        var kept = entries.Where((_, i) => i % 3 != 0).ToList();
        Assert.Equal(kept.Count, queue.Count);
        Assert.Equal(kept.Count, kept.Select(e => e.QueueIndex).Distinct().Count());
        Assert.All(kept, e => Assert.InRange(e.QueueIndex, 0, queue.Count - 1));
    }

    [Fact]
    public void Clear_returns_every_entry_and_leaves_them_out_of_the_queue()
    {
        var queue = new TimerQueue();
        var entries = Enumerable.Range(1, 40).Select(i => NewEntry(i, 40 - i, i)).ToList();
        entries.ForEach(queue.Add);

        var cleared = queue.Clear();

        Assert.Equal(entries.Select(e => e.Id).Order(), cleared.Select(e => e.Id).Order());
        Assert.All(entries, e => Assert.Equal(-1, e.QueueIndex));
        Assert.Equal(0, queue.Count);
        Assert.Null(queue.Peek());
    }

    private static (long Due, long Sequence, int Id) Key(TimerEntry entry) => (entry.Due, entry.Sequence, entry.Id);

    private static TimerEntry NewEntry(int id, long due, long sequence) =>
        new(id, TimerKind.After, 1, TimeSpan.FromTicks(1), new HostTimerHandler(() => { })) { Due = due, Sequence = sequence };
}
