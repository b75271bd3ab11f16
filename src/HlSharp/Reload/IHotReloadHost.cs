namespace HlSharp.Reload;

/// <summary>
/// What the natives reach of the VM's hot reload (<c>std@sys_check_reload</c>, bound by Haxe 4.3's
/// <c>hl.Api.checkReload()</c>): the façade implements it, the natives ask.
/// </summary>
internal interface IHotReloadHost
{
    /// <summary>
    /// Applies the loaded file (or <paramref name="alternativePath"/>) if it was rebuilt since it
    /// was last seen; true when a new version was applied, false when nothing changed, the build
    /// was refused, or the VM was loaded without hot reload.
    /// </summary>
    bool CheckReload(string? alternativePath);
}
