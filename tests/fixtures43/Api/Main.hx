// Haxe 4.3's hl.Api queries, which bind optional natives ("?std"): hasDebugger, checkReload,
// isPrimLoaded. An optional native nothing provides is not loaded, and calling it throws a Haxe
// error the program can catch, as on HashLink. Each check prints "ok" or "FAIL".
class Main {
	@:hlNative("?std", "no_such_native_anywhere") static function missing():Int {
		return -1;
	}

	@:hlNative("?nosuchlibrary", "nothing_here") static function missingLibrary():Void {}

	static function check(label:String, ok:Bool) {
		Sys.println((ok ? "ok   " : "FAIL ") + label);
	}

	static function main() {
		check("no debugger is attached", hl.Api.hasDebugger() == false);
		check("checkReload without hot reload is false", hl.Api.checkReload() == false);
		check("a standard native is loaded", hl.Api.isPrimLoaded(Math.sqrt));
		check("an optional std native is loaded", hl.Api.isPrimLoaded(hl.Api.checkReload));
		check("a missing optional native is not loaded", !hl.Api.isPrimLoaded(missing));
		check("a native of a missing optional library is not loaded", !hl.Api.isPrimLoaded(missingLibrary));
		check("a Haxe function counts as loaded", hl.Api.isPrimLoaded(main));
		check("null is not loaded", !hl.Api.isPrimLoaded(null));
		try {
			missing();
			check("calling a missing optional native throws", false);
		} catch (e:Dynamic) {
			Sys.println("calling it throws: " + Std.string(e));
		}
		check("64-bit", hl.Api.is64());
	}
}
