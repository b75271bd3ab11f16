namespace HlSharp.Api.Tests;

/// <summary>Haxe maps as dictionaries and <c>haxe.io.Bytes</c> as spans, over the Haxe values themselves.</summary>
public sealed class MapAndBytesTests
{
    [Fact]
    public void A_StringMap_view_reads_and_writes_the_Haxe_map()
    {
        using var vm = EmbeddingFixture.Load();
        var counts = vm.GetClass("Game").Get<HlMap<string, int>>("counts");
        var countOf = vm.GetFunction<Func<string, int>>("Game", "countOf");

        Assert.Equal(1, counts["one"]);
        counts["two"] = 2;
        counts.Add("😀", 3);

        Assert.Equal(2, countOf("two"));
        Assert.Equal(3, countOf("😀"));
        Assert.Equal(3, counts.Count);
        Assert.True(counts.Remove("one"));
        Assert.Equal(-1, countOf("one"));
        Assert.Equal(["two", "😀"], counts.Keys);
        Assert.Throws<KeyNotFoundException>(() => counts["none"]);
        Assert.Throws<ArgumentException>(() => counts.Add("two", 9));
    }

    [Fact]
    public void An_IntMap_view_has_int_keys()
    {
        using var vm = EmbeddingFixture.Load();
        var byId = vm.GetClass("Game").Get<HlMap<int, string>>("byId");

        Assert.Equal("seven", byId[7]);
        byId[8] = "eight";
        Assert.Equal([new KeyValuePair<int, string>(7, "seven"), new KeyValuePair<int, string>(8, "eight")], byId);
    }

    [Fact]
    public void NewMap_makes_a_map_Haxe_code_reads()
    {
        using var vm = EmbeddingFixture.Load();
        var game = vm.GetClass("Game");
        var fresh = vm.NewMap<string, int>();
        fresh["k"] = 41;

        game.Set("counts", fresh);

        Assert.Equal(41, vm.CallStatic<int>("Game", "countOf", "k"));
        Assert.Throws<ArgumentException>(() => vm.NewMap<double, int>());
        Assert.Throws<InvalidCastException>(() => game.Get<HlMap<int, int>>("counts"));
    }

    [Fact]
    public void A_Bytes_view_is_a_span_over_the_Haxe_bytes()
    {
        using var vm = EmbeddingFixture.Load();
        var game = vm.GetClass("Game");
        var data = game.Get<HlBytesView>("data");

        Assert.Equal("abc"u8.ToArray(), data.ToArray());
        data.Span[0] = (byte)'x';
        Assert.Equal((byte)'x', game.Get<HlBytesView>("data").Span[0]);

        game.Set("data", vm.NewBytes("héllo"));
        Assert.Equal(6, vm.CallStatic<int>("Game", "dataLength"));
        game.Set("data", vm.NewBytes(new byte[] { 1, 2, 3, 4 }));
        Assert.Equal(4, vm.CallStatic<int>("Game", "dataLength"));
    }
}
