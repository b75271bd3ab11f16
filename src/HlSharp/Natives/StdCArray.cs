using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// <c>hl.CArray</c> (Haxe 4.3, hl-ver 1.13): a fixed-size array of class or struct instances.
/// HashLink (<c>std/array.c</c>, <c>hl_alloc_carray</c>) lays the instances out back to back in
/// one GC block and hands out pointers into it; HlSharp has no raw memory, so the array holds one
/// allocated instance per slot and <c>get</c> returns that instance. Reads and writes through it
/// land in the array, as they do in HashLink.
/// </summary>
/// <remarks>
/// HashLink 1.17 defines only <c>alloc_carray</c> (and <c>carray_blit</c>, which the Haxe library
/// does not bind): <c>carray_get</c> and <c>carray_length</c>, which <c>CArray.hx</c> declares on
/// the optional library <c>?std</c>, are missing there and a call fails with "Primitive or library
/// is missing". HlSharp defines them with the meaning <c>CArray.hx</c> gives them, and checks the
/// index, which raw pointer arithmetic does not. An array of length 0 is null, as in HashLink.
/// </remarks>
internal static class StdCArray
{
    /// <summary>The array: its element type and the instances.</summary>
    internal sealed class CArray(HlRuntimeType elementType, HlInstance[] elements)
    {
        public HlRuntimeType ElementType { get; } = elementType;

        public HlInstance[] Elements { get; } = elements;
    }

    [HlNative("std", "alloc_carray")]
    public static CArray? AllocCArray(NativeContext m, HlRuntimeType type, int size)
    {
        if (type.Kind is not (HlTypeKind.Obj or HlTypeKind.Struct))
        {
            throw m.Runtime.MakeError("Invalid array type");
        }

        if (size < 0)
        {
            throw m.Runtime.MakeError("Invalid array size");
        }

        // HashLink's GC hands out no block for zero bytes, so an empty CArray is null there.
        if (size == 0)
        {
            return null;
        }

        // Every slot is a zeroed instance with its type and bindings set, as hl_alloc_carray does.
        var elements = new HlInstance[size];
        for (var i = 0; i < size; i++)
        {
            elements[i] = m.Runtime.AllocateObject(type);
        }

        return new CArray(type, elements);
    }

    [HlNative("std", "carray_get")]
    public static HlInstance CArrayGet(NativeContext m, CArray array, int index) =>
        (uint)index < (uint)array.Elements.Length ? array.Elements[index] : throw m.Runtime.MakeError("Out of bounds");

    [HlNative("std", "carray_length")]
    public static int CArrayLength(CArray array) => array.Elements.Length;
}
