namespace HlSharp.Bytecode;

/// <summary>The HashLink opcodes, numbered as the bytecode numbers them (HashLink's <c>opcodes.h</c>).</summary>
#pragma warning disable CA1720 // opcode names follow HashLink's names, some of which are type names
public enum HlOpcode : byte
{
    /// <summary>Copies a register: dst = src.</summary>
    Mov = 0,
    /// <summary>Loads an integer constant from the ints table.</summary>
    Int = 1,
    /// <summary>Loads a float constant from the floats table.</summary>
    Float = 2,
    /// <summary>Loads a boolean literal.</summary>
    Bool = 3,
    /// <summary>Loads a bytes constant (the bytes table in version 5, a string's UTF-8 bytes before).</summary>
    Bytes = 4,
    /// <summary>Loads a string constant.</summary>
    String = 5,
    /// <summary>Sets a register to null.</summary>
    Null = 6,
    /// <summary>dst = a + b.</summary>
    Add = 7,
    /// <summary>dst = a - b.</summary>
    Sub = 8,
    /// <summary>dst = a * b.</summary>
    Mul = 9,
    /// <summary>Signed (or float) division.</summary>
    SDiv = 10,
    /// <summary>Unsigned integer division.</summary>
    UDiv = 11,
    /// <summary>Signed (or float) remainder.</summary>
    SMod = 12,
    /// <summary>Unsigned integer remainder.</summary>
    UMod = 13,
    /// <summary>Shift left.</summary>
    Shl = 14,
    /// <summary>Arithmetic shift right.</summary>
    SShr = 15,
    /// <summary>Logical shift right.</summary>
    UShr = 16,
    /// <summary>Bitwise and.</summary>
    And = 17,
    /// <summary>Bitwise or.</summary>
    Or = 18,
    /// <summary>Bitwise exclusive or.</summary>
    Xor = 19,
    /// <summary>Arithmetic negation.</summary>
    Neg = 20,
    /// <summary>Boolean not.</summary>
    Not = 21,
    /// <summary>Increments a register.</summary>
    Incr = 22,
    /// <summary>Decrements a register.</summary>
    Decr = 23,
    /// <summary>Calls a function with no arguments.</summary>
    Call0 = 24,
    /// <summary>Calls a function with one argument.</summary>
    Call1 = 25,
    /// <summary>Calls a function with two arguments.</summary>
    Call2 = 26,
    /// <summary>Calls a function with three arguments.</summary>
    Call3 = 27,
    /// <summary>Calls a function with four arguments.</summary>
    Call4 = 28,
    /// <summary>Calls a function with any number of arguments.</summary>
    CallN = 29,
    /// <summary>Calls a method through the receiver's method table (the first argument is the receiver).</summary>
    CallMethod = 30,
    /// <summary>Calls a method of register 0 (this) through its method table.</summary>
    CallThis = 31,
    /// <summary>Calls the closure held in a register.</summary>
    CallClosure = 32,
    /// <summary>Makes a closure of a function with no bound value.</summary>
    StaticClosure = 33,
    /// <summary>Makes a closure of a function bound to a value.</summary>
    InstanceClosure = 34,
    /// <summary>Makes a closure of an object's method, resolved through its method table.</summary>
    VirtualClosure = 35,
    /// <summary>Reads a global.</summary>
    GetGlobal = 36,
    /// <summary>Writes a global.</summary>
    SetGlobal = 37,
    /// <summary>Reads a field of an object, virtual or struct.</summary>
    Field = 38,
    /// <summary>Writes a field of an object, virtual or struct.</summary>
    SetField = 39,
    /// <summary>Reads a field of register 0 (this).</summary>
    GetThis = 40,
    /// <summary>Writes a field of register 0 (this).</summary>
    SetThis = 41,
    /// <summary>Reads a field by name from a dynamic value.</summary>
    DynGet = 42,
    /// <summary>Writes a field by name on a dynamic value.</summary>
    DynSet = 43,
    /// <summary>Jumps if the register is true.</summary>
    JTrue = 44,
    /// <summary>Jumps if the register is false.</summary>
    JFalse = 45,
    /// <summary>Jumps if the register is null.</summary>
    JNull = 46,
    /// <summary>Jumps if the register is not null.</summary>
    JNotNull = 47,
    /// <summary>Jumps if a &lt; b (signed).</summary>
    JSLt = 48,
    /// <summary>Jumps if a &gt;= b (signed).</summary>
    JSGte = 49,
    /// <summary>Jumps if a &gt; b (signed).</summary>
    JSGt = 50,
    /// <summary>Jumps if a &lt;= b (signed).</summary>
    JSLte = 51,
    /// <summary>Jumps if a &lt; b (unsigned).</summary>
    JULt = 52,
    /// <summary>Jumps if a &gt;= b (unsigned).</summary>
    JUGte = 53,
    /// <summary>Jumps unless a &lt; b (true for unordered floats).</summary>
    JNotLt = 54,
    /// <summary>Jumps unless a &gt;= b (true for unordered floats).</summary>
    JNotGte = 55,
    /// <summary>Jumps if a == b.</summary>
    JEq = 56,
    /// <summary>Jumps if a != b.</summary>
    JNotEq = 57,
    /// <summary>Jumps unconditionally.</summary>
    JAlways = 58,
    /// <summary>Boxes a value as dynamic.</summary>
    ToDyn = 59,
    /// <summary>Converts a signed integer to a float.</summary>
    ToSFloat = 60,
    /// <summary>Converts an unsigned integer to a float.</summary>
    ToUFloat = 61,
    /// <summary>Converts a float to an integer (or between integer widths).</summary>
    ToInt = 62,
    /// <summary>Casts with a run-time check (throws on failure).</summary>
    SafeCast = 63,
    /// <summary>Reinterprets a value as another type without a check.</summary>
    UnsafeCast = 64,
    /// <summary>Converts a value to a virtual type.</summary>
    ToVirtual = 65,
    /// <summary>Marks the target of a backward jump.</summary>
    Label = 66,
    /// <summary>Returns a register.</summary>
    Ret = 67,
    /// <summary>Throws a value, recording a new call stack.</summary>
    Throw = 68,
    /// <summary>Throws a value again, keeping its call stack.</summary>
    Rethrow = 69,
    /// <summary>Jumps through a table indexed by the register.</summary>
    Switch = 70,
    /// <summary>Throws 'Null access' if the register is null.</summary>
    NullCheck = 71,
    /// <summary>Installs an exception handler; a throw stores its value in the register and jumps.</summary>
    Trap = 72,
    /// <summary>Removes the innermost exception handler.</summary>
    EndTrap = 73,
    /// <summary>Reads an unsigned byte from bytes at an offset.</summary>
    GetI8 = 74,
    /// <summary>Reads an unsigned 16-bit value from bytes at an offset.</summary>
    GetI16 = 75,
    /// <summary>Reads a value of the destination's type from bytes at an offset.</summary>
    GetMem = 76,
    /// <summary>Reads an element of a native array.</summary>
    GetArray = 77,
    /// <summary>Writes a byte to bytes at an offset.</summary>
    SetI8 = 78,
    /// <summary>Writes a 16-bit value to bytes at an offset.</summary>
    SetI16 = 79,
    /// <summary>Writes a value to bytes at an offset.</summary>
    SetMem = 80,
    /// <summary>Writes an element of a native array.</summary>
    SetArray = 81,
    /// <summary>Allocates a value of the destination's type.</summary>
    New = 82,
    /// <summary>Reads the length of a native array.</summary>
    ArraySize = 83,
    /// <summary>Loads a type constant.</summary>
    Type = 84,
    /// <summary>Reads the run-time type of a value.</summary>
    GetType = 85,
    /// <summary>Reads the kind of a type value.</summary>
    GetTID = 86,
    /// <summary>Takes a reference to a register.</summary>
    Ref = 87,
    /// <summary>Reads through a reference.</summary>
    Unref = 88,
    /// <summary>Writes through a reference.</summary>
    Setref = 89,
    /// <summary>Builds an enum value from a constructor and its arguments.</summary>
    MakeEnum = 90,
    /// <summary>Allocates an enum value with default arguments.</summary>
    EnumAlloc = 91,
    /// <summary>Reads the constructor index of an enum value.</summary>
    EnumIndex = 92,
    /// <summary>Reads an argument of an enum value.</summary>
    EnumField = 93,
    /// <summary>Writes an argument of an enum value.</summary>
    SetEnumField = 94,
    /// <summary>Stops with an assertion failure.</summary>
    Assert = 95,
    /// <summary>Reads the data pointer of an array or reference.</summary>
    RefData = 96,
    /// <summary>Offsets a reference by a number of elements.</summary>
    RefOffset = 97,
    /// <summary>Does nothing.</summary>
    Nop = 98,
    /// <summary>A cache hint; has no effect on results.</summary>
    Prefetch = 99,
    /// <summary>Inline machine code (not supported by HlSharp).</summary>
    Asm = 100,
    /// <summary>Marks a typed catch (newer bytecode).</summary>
    Catch = 101,
}
#pragma warning restore CA1720
