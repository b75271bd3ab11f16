using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// <c>std@sys_check_reload</c>, what Haxe 4.3's <c>hl.Api.checkReload(?alt)</c> binds (older
/// programs declare it themselves with <c>@:hlNative("std", "sys_check_reload")</c>): under
/// <c>hl --hot-reload</c> it reloads the program if its file was rebuilt, and answers whether it
/// did. Here it asks the VM's hot reload (<c>hlsharp run --hot-reload</c>, or any VM loaded from a
/// file with <c>HlVmOptions.HotReload</c>): true when a new version was applied, false when nothing
/// changed, the build was refused (the VM's <c>Reloaded</c> event says why) or hot reload is off.
/// The argument, when given, is the file to look at instead of the loaded one.
/// It runs on the calling Haxe thread, which is at a safe point inside this native: the other
/// threads park while the new version is published, this one goes on in it when the native returns.
/// </summary>
internal static class StdReload
{
    [HlNative("std", "sys_check_reload")]
    public static bool SysCheckReload(NativeContext m, HlBytes? alternativeFile) =>
        m.HotReload is { } reload && reload.CheckReload(alternativeFile is null ? null : SysState.PathOf(alternativeFile));
}
