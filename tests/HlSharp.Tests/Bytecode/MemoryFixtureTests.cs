using System.Text;
using HlSharp.Bytecode;

namespace HlSharp.Tests.Bytecode;

/// <summary>What the reader decodes from tests/fixtures/Bytes, Collections and Threads: memory access, refs, natives.</summary>
public sealed class MemoryFixtureTests
{
    [Fact]
    public void Bytes_access_uses_the_width_of_the_value()
    {
        var code = ReaderFixtures.Load("Bytes");
        var main = code.Function("Main.main");

        HlOp At(string statement) => main.Ops[main.Debug.Select((p, i) => (p, i)).First(x => x.p.Line == ReaderFixtures.LineOf("Bytes", statement) && main.Ops[x.i].Opcode is >= HlOpcode.SetI8 and <= HlOpcode.SetMem).i];

        Assert.Equal(HlOpcode.SetI8, At("raw.setUI8(0, 0xAB);").Opcode);
        Assert.Equal(HlOpcode.SetI16, At("raw.setUI16(2, 0xBEEF);").Opcode);
        var i32 = At("raw.setI32(4, -123456);");
        var f32 = At("raw.setF32(8, 1.25);");
        var f64 = At("raw.setF64(16, 3.5);");
        Assert.Equal(HlOpcode.SetMem, i32.Opcode);
        Assert.Equal(HlTypeKind.I32, main.Registers[i32.P3].Kind);
        Assert.Equal(HlTypeKind.F32, main.Registers[f32.P3].Kind);
        Assert.Equal(HlTypeKind.F64, main.Registers[f64.P3].Kind);
        Assert.Equal(HlTypeKind.Bytes, main.Registers[i32.P1].Kind);

        var read = code.Function("Main.checksum").Single(HlOpcode.GetI8);
        Assert.Equal(0, read.P2);
    }

    [Fact]
    public void A_resource_makes_Haxe_write_version_5_with_a_bytes_section()
    {
        var code = ReaderFixtures.Load("Bytes");

        Assert.Equal(5, code.Version);
        Assert.True(code.BytesCount >= 1);
        var load = Assert.Single(code.Functions.SelectMany(f => f.Ops), op => op.Opcode == HlOpcode.Bytes);
        Assert.StartsWith("hello, resource", Encoding.UTF8.GetString(code.GetBytes(load.P2).Span), StringComparison.Ordinal);
        Assert.Contains("greeting", code.Strings);
    }

    [Fact]
    public void Maps_call_the_std_natives_with_their_signatures()
    {
        var code = ReaderFixtures.Load("Collections");

        var hbset = Assert.Single(code.Natives, n => n.Name == "hbset");
        Assert.Equal("std", hbset.Library);
        Assert.Equal("std@hbset", hbset.ToString());
        Assert.Equal("(abstract<hl_bytes_map>, bytes, dyn) -> void", hbset.Type.ToString());
        Assert.Same(hbset, code.GetNative(hbset.Index));
        Assert.Null(code.GetFunction(hbset.Index));
        Assert.Equal("(abstract<hl_int_map>, i32, dyn) -> void", code.Natives.Single(n => n.Name == "hiset").Type.ToString());
        Assert.Equal("() -> abstract<hl_obj_map>", code.Natives.Single(n => n.Name == "hoalloc").Type.ToString());
    }

    [Fact]
    public void Native_arrays_are_read_written_and_measured()
    {
        var code = ReaderFixtures.Load("Collections");
        var main = code.Function("Main.main");

        var set = Assert.Single(main.Ops(HlOpcode.SetArray)).Op;
        var get = Assert.Single(main.Ops(HlOpcode.GetArray)).Op;
        Assert.Equal(HlTypeKind.Array, main.Registers[set.P1].Kind);
        Assert.Equal(HlTypeKind.Array, main.Registers[get.P2].Kind);
        Assert.Equal(HlTypeKind.I32, main.Registers[get.P1].Kind);
        Assert.Contains(main.Ops, op => op.Opcode == HlOpcode.ArraySize && op.P2 == set.P1);
    }

    [Fact]
    public void References_are_taken_read_written_and_offset()
    {
        var code = ReaderFixtures.Load("Collections");
        var addTo = code.Function("Main.addTo");
        var main = code.Function("Main.main");

        Assert.Equal("(ref<i32>, i32) -> void", addTo.Type.ToString());
        Assert.Equal(0, addTo.Single(HlOpcode.Unref).P2);
        Assert.Equal(0, addTo.Single(HlOpcode.Setref).P1);

        var refData = main.Single(HlOpcode.RefData);
        Assert.Equal(HlTypeKind.Array, main.Registers[refData.P2].Kind);
        Assert.Equal("ref<i32>", main.Registers[refData.P1].ToString());
        var refOffset = main.Single(HlOpcode.RefOffset);
        Assert.Equal(refData.P1, refOffset.P2);
        Assert.Equal(HlTypeKind.I32, main.Registers[refOffset.P3].Kind);

        // addTo(total, ...) passes a reference to the local "total".
        var call = main.Ops.First(op => op.Opcode == HlOpcode.Call2 && code.Callee(op) == "Main.addTo");
        var reference = main.Ops.Last(op => op.Opcode == HlOpcode.Ref && op.P1 == call.GetCallArguments()[0]);
        Assert.Equal(HlTypeKind.I32, main.Registers[reference.P2].Kind);
    }

    [Fact]
    public void Thread_primitives_are_natives_on_native_handles()
    {
        var code = ReaderFixtures.Load("Threads");

        string Signature(string name) => code.Natives.Single(n => n.Library == "std" && n.Name == name).Type.ToString();
        Assert.Equal("(() -> void) -> abstract<hl_thread>", Signature("thread_create"));
        Assert.Equal("(bool) -> abstract<hl_mutex>", Signature("mutex_alloc"));
        Assert.Equal("(abstract<hl_mutex>) -> void", Signature("mutex_acquire"));
        Assert.Equal("(abstract<hl_deque>, bool) -> dyn", Signature("deque_pop"));
        Assert.Equal("(bool) -> abstract<hl_tls>", Signature("tls_alloc"));
        Assert.Contains(code.Types.OfType<HlAbstractType>(), t => t.Name == "hl_thread");
    }

    [Fact]
    public void Thread_bodies_are_closures_over_the_shared_locals()
    {
        var code = ReaderFixtures.Load("Threads");
        var main = code.Function("Main.main");

        // Haxe unrolls the short loop, so there is one closure per thread started.
        var binds = main.Ops.Where(op => op.Opcode == HlOpcode.InstanceClosure).ToList();
        Assert.NotEmpty(binds);
        Assert.All(binds, bind =>
        {
            var body = Assert.IsType<HlFunction>(code.GetFunction(bind.P2));
            var env = Assert.IsType<HlEnumType>(body.Type.Arguments[0]);
            Assert.Same(env, main.Registers[bind.P3]);
            Assert.Equal(HlTypeKind.Void, body.Type.ReturnType.Kind);
            Assert.Contains(body.Ops, op => op.Opcode == HlOpcode.Call1 && code.Callee(op) == "std@mutex_acquire");
        });
    }
}
