namespace HlSharp.Api.Tests;

/// <summary>Haxe values from the host: classes and statics, instances, anonymous objects, arrays, enums.</summary>
public sealed class ValueTests
{
    [Fact]
    public void A_class_reads_and_writes_its_statics_and_calls_its_functions()
    {
        using var vm = EmbeddingFixture.Load();
        var game = vm.GetClass("Game");

        Assert.Equal(10, game.Get<int>("score"));
        game.Set("score", 999);
        Assert.Equal(999, game.Get<int>("score"));
        Assert.Equal(1000, vm.CallStatic<int>("Game", "add", game.Get<int>("score"), 1));
        Assert.Equal(55, game.Call<int>("add", 42, 13));
        Assert.Equal(0.5, game.Get<double>("ratio"));
        Assert.Equal(1.5f, game.Get<float>("single"));
        game.Set("big", 1L << 40);
        Assert.Equal(1L << 40, game.Get<long>("big"));
        Assert.Null(game.Get<int?>("maybe"));
        game.Set("maybe", 4);
        Assert.Equal(4, game.Get<int?>("maybe"));
        game.Set("title", "ß😀");
        Assert.Equal("hello ß😀", game.Call<string>("greet", game.Get<string>("title")));
    }

    [Fact]
    public void An_unknown_class_or_field_names_a_close_match()
    {
        using var vm = EmbeddingFixture.Load();

        Assert.Contains("did you mean Game?", Assert.Throws<ArgumentException>(() => vm.GetClass("Gam")).Message, StringComparison.Ordinal);
        Assert.False(vm.TryGetClass("Nothing", out _));
        Assert.Contains("did you mean score?", Assert.Throws<ArgumentException>(() => vm.GetClass("Game").Get<int>("scor")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => vm.GetClass("Game").Set("score", "not a number"));
    }

    [Fact]
    public void New_runs_the_constructor_and_gives_an_object_with_fields_and_methods()
    {
        using var vm = EmbeddingFixture.Load();

        var player = vm.New("Player", "Ada");

        Assert.Equal("Player", player.TypeName);
        Assert.Equal("Ada", player.Get<string>("name"));
        Assert.Equal(10.0, player.Get<double>("hp"));
        Assert.Equal(5, player.Call<int>("addScore", 5));
        Assert.Equal(7, player.Call<int>("addScore", 2));
        Assert.Equal(7, player.Get<int>("score"));
        player.Set("name", "Grace");
        Assert.Equal("Grace", player.Call<string>("getName"));
        Assert.Equal("entity Grace", player.Call("describe"));
    }

    [Fact]
    public void An_instance_method_is_a_typed_delegate_bound_to_its_object()
    {
        using var vm = EmbeddingFixture.Load();
        var ada = vm.New("Player", "Ada");
        var grace = vm.New("Player", "Grace");

        var addToAda = ada.GetMethod<Func<int, int>>("addScore");
        var graceName = grace.GetMethod<Func<string>>("getName");
        var describe = ada.GetMethod<Func<string>>("describe");

        Assert.Equal(5, addToAda(5));
        Assert.Equal(8, addToAda(3));
        Assert.Equal(8, ada.Get<int>("score"));
        Assert.Equal(0, grace.Get<int>("score"));
        Assert.Equal("Grace", graceName());
        Assert.Equal("entity Ada", describe());
        var mismatch = Assert.Throws<ArgumentException>(() => ada.GetMethod<Func<string, int>>("addScore"));
        Assert.Contains("Player.addScore is (Int) -> Int", mismatch.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ada.GetMethod<Func<int>>("noSuchMethod"));
    }

    [Fact]
    public void IsInstanceOf_follows_inheritance_and_interfaces()
    {
        using var vm = EmbeddingFixture.Load();
        var player = vm.New("Player", "Ada");
        var entity = vm.New("Entity", "Rock");

        Assert.True(player.IsInstanceOf("Player"));
        Assert.True(player.IsInstanceOf("Entity"));
        Assert.True(player.IsInstanceOf("Named"));
        Assert.False(entity.IsInstanceOf("Player"));
        Assert.False(entity.IsInstanceOf("Named"));
    }

    [Fact]
    public void A_constructor_that_throws_reaches_the_host_as_HlHaxeException()
    {
        using var vm = EmbeddingFixture.Load();

        Assert.Equal("refused", Assert.Throws<HlHaxeException>(() => vm.New("Fragile", false)).ValueText);
        Assert.Equal("Fragile", vm.New("Fragile", true).TypeName);
    }

    [Fact]
    public void Objects_pass_back_into_Haxe_as_themselves()
    {
        using var vm = EmbeddingFixture.Load();
        var player = vm.GetFunction<Func<string, HlObject>>("Game", "makePlayer")("Lin");

        player.Call("addScore", 3);
        var players = vm.GetClass("Game").Get<HlArray<HlObject>>("players");
        players.Add(player);

        Assert.Equal(3, players[0].Get<int>("score"));
        Assert.Equal("Lin", players[0].Get<string>("name"));
        Assert.Equal(player, players[0]);
        Assert.True(players.Remove(player));
        Assert.Empty(players);
    }

    [Fact]
    public void Anonymous_and_Dynamic_objects_are_objects_with_fields_by_name()
    {
        using var vm = EmbeddingFixture.Load();
        var anon = vm.GetClass("Game").Get<HlObject>("anon");
        var point = vm.CallStatic<HlObject>("Game", "point", 4);

        Assert.Equal(1, anon.Get<int>("x"));
        Assert.Equal("two", anon.Get<string>("y"));
        anon.Set("x", 5);
        Assert.Equal(5, anon.Get<int>("x"));
        Assert.Equal(4, point.Get<int>("x"));
        Assert.Equal("p4", point.Get<string>("label"));
        Assert.Equal(["x", "label"], point.FieldNames.Order().Reverse());
    }

    [Fact]
    public void An_array_view_changes_the_Haxe_array_itself()
    {
        using var vm = EmbeddingFixture.Load();
        var game = vm.GetClass("Game");
        var xs = game.Get<HlArray<int>>("scores");
        var sum = vm.GetFunction<Func<HlArray<int>, int>>("Game", "sum");

        xs.Add(7);
        xs[0] = 10;
        xs.Insert(1, 100);
        xs.RemoveAt(2);

        Assert.Equal([10, 100, 3, 7], xs);
        Assert.Equal(120, sum(xs));
        Assert.Equal(120, vm.CallStatic<int>("Game", "sum", game.Get<HlArray<int>>("scores")));
        Assert.True(xs.Remove(100));
        Assert.Equal(3, xs.IndexOf(7) + 1);
        xs.Clear();
        Assert.Empty(xs);
        Assert.Equal(0, sum(xs));
        Assert.Throws<ArgumentOutOfRangeException>(() => xs[0]);
    }

    [Fact]
    public void Arrays_of_floats_strings_bools_and_Dynamic_convert_their_elements()
    {
        using var vm = EmbeddingFixture.Load();
        var game = vm.GetClass("Game");

        var floats = game.Get<HlArray<double>>("floats");
        floats.Add(3.25);
        Assert.Equal([1.5, 2.5, 3.25], floats);

        var names = game.Get<HlArray<string>>("names");
        names.Add("😀");
        Assert.Equal(["a", "b", "😀"], names);

        var flags = game.Get<HlArray<bool>>("flags");
        flags.Add(false);
        Assert.Equal([true, false], flags);

        var dyns = game.Get<HlArray<object>>("dyns");
        dyns.Add(2.5);
        Assert.Equal([1, "x", 2.5], dyns);
    }

    [Fact]
    public void Enums_are_read_made_and_passed_back()
    {
        using var vm = EmbeddingFixture.Load();
        var status = vm.GetClass("Game").Get<HlEnum>("status");

        Assert.Equal("Status", status.TypeName);
        Assert.Equal("Active", status.Name);
        Assert.Equal(1, status.Index);
        Assert.Equal([3], status.Parameters);

        var tagged = vm.NewEnum("Status", "Tagged", "lvl", 42);
        Assert.Equal("lvl42", vm.CallStatic<string>("Game", "statusName", tagged));
        Assert.Equal("idle", vm.CallStatic<string>("Game", "statusName", vm.NewEnum("Status", 0)));
        Assert.Equal(["lvl", 42], tagged.Parameters);
        Assert.Contains("did you mean Active?", Assert.Throws<ArgumentException>(() => vm.NewEnum("Status", "Activ", 1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => vm.NewEnum("Status", "Active"));
    }

    [Fact]
    public void Values_of_one_VM_are_refused_by_another()
    {
        using var first = EmbeddingFixture.Load();
        using var second = EmbeddingFixture.Load();
        var player = first.New("Player", "Ada");

        Assert.Throws<ArgumentException>(() => second.GetClass("Game").Get<HlArray<HlObject>>("players").Add(player));
    }
}
