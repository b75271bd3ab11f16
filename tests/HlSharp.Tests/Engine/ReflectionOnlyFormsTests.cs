using HlSharp.Engine;
using HlSharp.Runtime;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>
/// The forms the engine's run-time services take where no code may be generated (NativeAOT):
/// reflection-only field accessors, invokers, host delegates and host views. Each is forced here
/// on the test's thread (<see cref="DynamicCode.ForceReflectionOnly"/>) and must give what the
/// emitted form gives, faults included; the language fixtures must print what hl prints.
/// </summary>
public sealed class ReflectionOnlyFormsTests
{
    public static TheoryData<string> Areas => LanguageTests.Areas;

    [Theory]
    [MemberData(nameof(Areas))]
    public void Fixture_prints_what_HashLink_prints_with_the_reflection_only_forms(string area)
    {
        var expected = File.ReadAllText(Path.Combine(RepoPaths.Fixtures, area, "expected.txt")).ReplaceLineEndings("\n");

        string actual;
        using (DynamicCode.ForceReflectionOnly())
        {
            actual = LanguageTests.Run(area);
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Forcing_is_per_thread_and_ends_with_its_scope()
    {
        Assert.True(DynamicCode.IsSupported);
        using (DynamicCode.ForceReflectionOnly())
        {
            Assert.False(DynamicCode.IsSupported);
            var elsewhere = false;
            var thread = new Thread(() => elsewhere = DynamicCode.IsSupported);
            thread.Start();
            Assert.True(thread.Join(TimeSpan.FromSeconds(10)));
            Assert.True(elsewhere);
        }

        Assert.True(DynamicCode.IsSupported);
    }

    [Fact]
    public void Host_delegates_give_the_same_results_in_both_forms()
    {
        using var jitVm = Embedding();
        using var aotVm = Embedding();
        using (DynamicCode.ForceReflectionOnly())
        {
            var square = aotVm.GetFunction<Func<int, int>>("Game", "square");
            var greet = aotVm.GetFunction<Func<string, string>>("Game", "greet");
            var bump = aotVm.GetFunction<Action>("Game", "bump");
            var mul = aotVm.GetFunction<Func<double, double, double>>("Game", "mul");
            var fail = aotVm.GetFunction<Action<string>>("Game", "fail");
            var adder = aotVm.CallStatic<Func<int, int>>("Game", "makeAdder", 5);
            Assert.All(new Delegate[] { square, greet, bump, mul, fail, adder }, d => Assert.Equal(typeof(HostDelegateBridges), d.Method.DeclaringType));

            Assert.Equal(jitVm.GetFunction<Func<int, int>>("Game", "square")(12), square(12));
            Assert.Equal(144, square(12));
            Assert.Equal(jitVm.GetFunction<Func<string, string>>("Game", "greet")("you"), greet("you"));
            Assert.Equal(jitVm.GetFunction<Func<double, double, double>>("Game", "mul")(1.5, -4), mul(1.5, -4));
            Assert.Equal(jitVm.CallStatic<Func<int, int>>("Game", "makeAdder", 5)(37), adder(37));
            jitVm.GetFunction<Action>("Game", "bump")();
            bump();
            Assert.Equal(jitVm.GetClass("Game").Get<int>("score"), aotVm.GetClass("Game").Get<int>("score"));
            Assert.Equal(11, aotVm.GetClass("Game").Get<int>("score"));

            var jitError = Assert.Throws<HlHaxeException>(() => jitVm.GetFunction<Action<string>>("Game", "fail")("boom"));
            var aotError = Assert.Throws<HlHaxeException>(() => fail("boom"));
            Assert.Equal(jitError.Message, aotError.Message);
            Assert.Equal("boom", aotError.Value);
        }
    }

    [Fact]
    public void A_host_delegate_after_dispose_throws_ObjectDisposedException_in_the_reflection_only_form()
    {
        Func<int, int> square;
        using (var vm = Embedding())
        using (DynamicCode.ForceReflectionOnly())
        {
            square = vm.GetFunction<Func<int, int>>("Game", "square");
        }

        Assert.Throws<ObjectDisposedException>(() => square(2));
    }

    [Fact]
    public void A_delegate_with_too_many_parameters_is_refused_with_a_message_naming_it()
    {
        using var vm = Embedding();
        var target = new HostCallTarget(vm.Gate, vm.FindStatic("Game", "add"), null);

        var error = Assert.Throws<NotSupportedException>(() => HostDelegateBridges.Create(target, typeof(Func<int, int, int, int, int, int, int, int>)));

        Assert.Contains("Func<int, int, int, int, int, int, int, int>", error.Message, StringComparison.Ordinal);
        Assert.Contains("CallStatic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invokers_give_the_same_results_and_faults_in_both_forms()
    {
        using var vm = Embedding();
        var add = vm.FindStatic("Game", "add");
        var scale = vm.FindStatic("Game", "scale");
        var bump = vm.FindStatic("Game", "bump");
        var emitted = (Add: vm.Module.Invoker(add), Scale: vm.Module.Invoker(scale), Bump: vm.Module.Invoker(bump));
        var reflected = (Add: ReflectionInvoker.Create(vm.Module.GetMethod(add)), Scale: ReflectionInvoker.Create(vm.Module.GetMethod(scale)), Bump: ReflectionInvoker.Create(vm.Module.GetMethod(bump)));

        Assert.Equal(emitted.Add([2, 40]), reflected.Add([2, 40]));
        Assert.Equal(42, reflected.Add([2, 40]));
        Assert.Equal(emitted.Scale([1.25]), reflected.Scale([1.25]));
        Assert.Equal(2.5, reflected.Scale([1.25]));
        Assert.Null(emitted.Bump([]));
        Assert.Null(reflected.Bump([]));

        // unbox.any refuses what reflection alone would convert: a byte for an int, a null for an int.
        Assert.Throws<InvalidCastException>(() => emitted.Add([(byte)1, 2]));
        Assert.Throws<InvalidCastException>(() => reflected.Add([(byte)1, 2]));
        Assert.Throws<NullReferenceException>(() => emitted.Add([null, 2]));
        Assert.Throws<NullReferenceException>(() => reflected.Add([null, 2]));
        Assert.Throws<IndexOutOfRangeException>(() => emitted.Add([1]));
        Assert.Throws<IndexOutOfRangeException>(() => reflected.Add([1]));
        Assert.Throws<InvalidCastException>(() => emitted.Scale([1]));
        Assert.Throws<InvalidCastException>(() => reflected.Scale([1]));
    }

    [Fact]
    public void A_module_made_while_forced_uses_the_reflection_only_invoker()
    {
        using var vm = Embedding();
        Func<object?[], object?> invoker;
        using (DynamicCode.ForceReflectionOnly())
        {
            invoker = vm.Module.Invoker(vm.FindStatic("Game", "add"));
        }

        Assert.Equal(typeof(ReflectionInvoker), invoker.Method.DeclaringType?.DeclaringType ?? invoker.Method.DeclaringType);
        Assert.Equal(7, invoker([3, 4]));
    }

    [Fact]
    public void Field_accessors_give_the_same_results_and_faults_in_both_forms()
    {
        using var vm = Embedding();
        var player = vm.Module.Types.First(t => t.Name == "Player" && t.ClrType is not null);
        var entity = vm.Module.Types.First(t => t.Name == "Entity" && t.ClrType is not null);
        var score = player.Fields.First(f => f.Name == "score");
        var hp = player.Fields.First(f => f.Name == "hp");
        var obj = vm.Module.Runtime.AllocateObject(player);
        var other = vm.Module.Runtime.AllocateObject(entity);

        var emitted = FieldAccessors.Instance;
        Func<object, object?> reflectedGet;
        Action<object, object?> reflectedSet;
        using (DynamicCode.ForceReflectionOnly())
        {
            reflectedGet = emitted.Getter(score);
            reflectedSet = emitted.Setter(score);
            Assert.Equal(typeof(ReflectionFieldAccessors), reflectedGet.Method.DeclaringType?.DeclaringType);
        }

        var emittedGet = emitted.Getter(score);
        var emittedSet = emitted.Setter(score);
        reflectedSet(obj, 41);
        Assert.Equal(41, emittedGet(obj));
        emittedSet(obj, 42);
        Assert.Equal(42, reflectedGet(obj));

        Assert.Throws<InvalidCastException>(() => emittedSet(obj, (byte)1));
        Assert.Throws<InvalidCastException>(() => reflectedSet(obj, (byte)1));
        Assert.Throws<NullReferenceException>(() => emittedSet(obj, null));
        Assert.Throws<NullReferenceException>(() => reflectedSet(obj, null));
        Assert.Throws<NullReferenceException>(() => emittedGet(null!));
        Assert.Throws<NullReferenceException>(() => reflectedGet(null!));
        Assert.Throws<InvalidCastException>(() => emittedGet(other));
        Assert.Throws<InvalidCastException>(() => reflectedGet(other));

        var typedGet = (Func<object, double>)ReflectionFieldAccessors.TypedGetter(hp.Field!);
        var typedSet = (Action<object, double>)ReflectionFieldAccessors.TypedSetter(hp.Field!);
        typedSet(obj, 2.5);
        Assert.Equal(2.5, ((Func<object, double>)emitted.TypedGetter(hp))(obj));
        ((Action<object, double>)emitted.TypedSetter(hp))(obj, 7.25);
        Assert.Equal(7.25, typedGet(obj));
    }

    [Fact]
    public void Host_views_of_the_usual_element_types_are_made_without_generic_instantiation()
    {
        using var vm = Embedding();
        var game = vm.GetClass("Game");
        using (DynamicCode.ForceReflectionOnly())
        {
            Assert.Equal([1, 2, 3], game.Get<HlArray<int>>("scores"));
            Assert.Equal(["a", "b"], game.Get<HlArray<string>>("names"));
            Assert.Equal([1.5, 2.5], game.Get<HlArray<double>>("floats"));
            Assert.Equal(1, game.Get<HlMap<string, int>>("counts")["one"]);
            Assert.Equal("seven", game.Get<HlMap<int, string>>("byId")[7]);
            Assert.Equal(1, game.Get<HlMap<string, long>>("counts")["one"]);

            var error = Assert.Throws<NotSupportedException>(() => game.Get<HlArray<decimal>>("scores"));
            Assert.Contains("HlArray<Decimal> ahead of time", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Allocation_uses_a_types_factory_when_it_has_one()
    {
        using var vm = Embedding();
        var player = vm.Module.Types.First(t => t.Name == "Player" && t.ClrType is not null);
        var made = 0;
        player.Factory = () =>
        {
            made++;
            return (HlInstance)Activator.CreateInstance(player.ClrType!)!;
        };

        var obj = vm.Module.Runtime.AllocateObject(player);

        Assert.Equal(1, made);
        Assert.Same(player, obj.Type);
    }

    private static HlVm Embedding()
    {
        var vm = HlVm.LoadFile(HaxeFixtures.Compile("Embedding"), new HlVmOptions { StandardOutput = new MemoryStream() });
        vm.RunEntry();
        return vm;
    }
}
