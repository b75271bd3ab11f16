namespace HlSharp.Natives;

/// <summary>
/// TEMPORARY stand-in for <c>std@sys_time</c> (another branch implements it for real): the socket
/// fixture measures a timeout with <c>haxe.Timer.stamp</c> and ends in Haxe's event loop, which
/// both need it. Drop this file at merge.
/// </summary>
internal static class TempSysTime
{
    [HlNative("std", "sys_time")]
    public static double SysTime() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
}
