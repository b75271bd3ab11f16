using System.Runtime.CompilerServices;

namespace HlSharp.Runtime;

/// <summary>
/// The two dynamic booleans. HashLink hands out one shared <c>true</c> and one shared
/// <c>false</c> rather than allocating a dynamic each time a bool is boxed, and so does HlSharp:
/// a bool stored in a <c>Dynamic</c>, an anonymous structure or an enum's arguments costs no
/// allocation (compiled code boxes through <see cref="Box"/>; see <c>Engine/Boxing.cs</c>).
/// </summary>
internal static class BoxedBools
{
    public static readonly object True = true;

    public static readonly object False = false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static object Box(bool value) => value ? True : False;
}
