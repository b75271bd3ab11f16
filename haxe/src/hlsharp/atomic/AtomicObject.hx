package hlsharp.atomic;

private typedef ObjectCell = hl.Abstract<"hlsharp_atomic_object">;

/**
	A reference updated atomically, shaped as Haxe 4.3's `haxe.atomic.AtomicObject`.
	`compareExchange` compares by reference (physical equality), as 4.3 does.
**/
abstract AtomicObject<T:{}>(ObjectCell) {
	public inline function new(value:T) {
		this = allocNative(value);
	}

	/** Stores `replacement` if the value is (physically) `expected`; returns the value before. **/
	public inline function compareExchange(expected:T, replacement:T):T {
		return cast compareExchangeNative(this, expected, replacement);
	}

	/** Stores `value`; returns the value before. **/
	public inline function exchange(value:T):T {
		return cast exchangeNative(this, value);
	}

	/** The value now. **/
	public inline function load():T {
		return cast loadNative(this);
	}

	/** Stores `value`; returns `value`. **/
	public inline function store(value:T):T {
		return cast storeNative(this, value);
	}

	@:hlNative("hlsharp", "atomic_object_alloc") static function allocNative(value:Dynamic):ObjectCell {
		return null;
	}

	@:hlNative("hlsharp", "atomic_object_compare_exchange") static function compareExchangeNative(cell:ObjectCell, expected:Dynamic, replacement:Dynamic):Dynamic {
		return null;
	}

	@:hlNative("hlsharp", "atomic_object_exchange") static function exchangeNative(cell:ObjectCell, value:Dynamic):Dynamic {
		return null;
	}

	@:hlNative("hlsharp", "atomic_object_load") static function loadNative(cell:ObjectCell):Dynamic {
		return null;
	}

	@:hlNative("hlsharp", "atomic_object_store") static function storeNative(cell:ObjectCell, value:Dynamic):Dynamic {
		return null;
	}
}
