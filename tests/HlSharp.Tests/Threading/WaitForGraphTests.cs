using HlSharp.Threading;

namespace HlSharp.Tests.Threading;

/// <summary>The wait-for graph on its own, with plain objects standing for threads and locks.</summary>
public sealed class WaitForGraphTests
{
    private sealed record Key(string Name);

    private static WaitForGraph NewGraph() => new(t => ((Key)t).Name, l => ((Key)l).Name);

    [Fact]
    public void A_wait_that_closes_a_cycle_is_refused_and_described_from_the_waiting_thread()
    {
        var graph = NewGraph();
        Key a = new("A"), b = new("B"), l1 = new("L1"), l2 = new("L2");
        graph.Acquired(l1, a);
        graph.Acquired(l2, b);

        Assert.Null(graph.BeginWait(a, l2));
        Assert.Equal("Deadlock: thread B waits for L1 held by thread A, which waits for L2 held by thread B", graph.BeginWait(b, l1));
    }

    [Fact]
    public void Waits_without_a_cycle_are_recorded_and_a_released_lock_breaks_the_chain()
    {
        var graph = NewGraph();
        Key a = new("A"), b = new("B"), c = new("C"), l1 = new("L1"), l2 = new("L2"), l3 = new("L3");
        graph.Acquired(l1, a);
        graph.Acquired(l2, b);
        graph.Acquired(l3, c);
        Assert.Null(graph.BeginWait(a, l2));
        Assert.Null(graph.BeginWait(b, l3));

        // C releasing L3 (B then takes it) leaves no cycle for C's wait on L1.
        graph.Releasing(l3);
        graph.EndWait(b, l3, acquired: true);
        graph.Releasing(l3);
        graph.Releasing(l2);
        Assert.Null(graph.BeginWait(c, l1));
    }

    [Fact]
    public void A_lock_held_twice_stays_held_until_released_twice()
    {
        var graph = NewGraph();
        Key a = new("A"), b = new("B"), l1 = new("L1"), l2 = new("L2");
        graph.Acquired(l1, a);
        graph.Acquired(l1, a);
        graph.Acquired(l2, b);
        Assert.Null(graph.BeginWait(b, l1));
        graph.Releasing(l1);

        Assert.NotNull(graph.BeginWait(a, l2));
    }
}
