// Haxe 4.3's stacks on HashLink 1.12+: haxe.CallStack.callStack() and haxe.Exception.stack come
// from the raw stack natives (call_stack_raw, exception_stack_raw, resolve_symbol). The output
// must be what hl prints: the frames, their order, their file and line.
import haxe.CallStack;
import haxe.Exception;

class Thing {
	public function new() {}

	public function deep(n:Int):Array<StackItem> {
		return n == 0 ? CallStack.callStack() : deep(n - 1);
	}

	public function fail(n:Int):Void {
		if (n == 0)
			throw new Exception("boom");
		fail(n - 1);
	}
}

class Main {
	static function show(label:String, s:Array<StackItem>) {
		Sys.println(label + ": " + s.length);
		for (i in s)
			Sys.println("  " + Std.string(i));
	}

	static function wrap() {
		try
			new Thing().fail(2)
		catch (e:Exception)
			throw new Exception("outer", e);
	}

	static function main() {
		show("call stack", new Thing().deep(2));
		try
			new Thing().fail(1)
		catch (e:Exception) {
			show("exception stack", [for (i in e.stack) i]);
			show("CallStack.exceptionStack", CallStack.exceptionStack());
			Sys.println(CallStack.toString(e.stack));
		}
		try
			wrap()
		catch (e:Exception) {
			Sys.println("chain: " + e.message + " <- " + e.previous.message);
			Sys.println(e.details());
		}
		try {
			try
				throw "raw"
			catch (e:String) {
				var f = () -> throw e;
				f();
			}
		} catch (e:Dynamic) {
			show("rethrown from a closure", CallStack.exceptionStack());
		}
		try {
			try
				new Thing().fail(0)
			catch (e:Exception)
				throw e;
		} catch (e:Exception) {
			show("rethrown as is", [for (i in e.stack) i]);
		}
		try
			throw 42
		catch (e:Exception) {
			Sys.println("value exception: " + e.message + " " + Std.isOfType(e, haxe.ValueException));
			show("value exception stack", [for (i in e.stack) i]);
		}
		var local = function() return CallStack.callStack();
		show("local function", local());
		new Thing().fail(0);
	}
}
