package hlsharp.atomic;

private typedef IntCell = hl.Abstract<"hlsharp_atomic_int">;

/**
	An Int updated atomically, shaped as Haxe 4.3's `haxe.atomic.AtomicInt`: the
	read-modify-write operations return the value before the operation.
**/
abstract AtomicInt(IntCell) {
	public inline function new(value:Int) {
		this = allocNative(value);
	}

	/** Adds `b`; returns the value before. **/
	public inline function add(b:Int):Int {
		return addNative(this, b);
	}

	/** Subtracts `b`; returns the value before. **/
	public inline function sub(b:Int):Int {
		return subNative(this, b);
	}

	/** Bitwise-ands `b` in; returns the value before. **/
	public inline function and(b:Int):Int {
		return andNative(this, b);
	}

	/** Bitwise-ors `b` in; returns the value before. **/
	public inline function or(b:Int):Int {
		return orNative(this, b);
	}

	/** Bitwise-xors `b` in; returns the value before. **/
	public inline function xor(b:Int):Int {
		return xorNative(this, b);
	}

	/** Stores `replacement` if the value is `expected`; returns the value before, whether or not it stored. **/
	public inline function compareExchange(expected:Int, replacement:Int):Int {
		return compareExchangeNative(this, expected, replacement);
	}

	/** Stores `value`; returns the value before. **/
	public inline function exchange(value:Int):Int {
		return exchangeNative(this, value);
	}

	/** The value now. **/
	public inline function load():Int {
		return loadNative(this);
	}

	/** Stores `value`; returns `value`. **/
	public inline function store(value:Int):Int {
		return storeNative(this, value);
	}

	@:hlNative("hlsharp", "atomic_int_alloc") static function allocNative(value:Int):IntCell {
		return null;
	}

	@:hlNative("hlsharp", "atomic_int_add") static function addNative(cell:IntCell, b:Int):Int {
		return 0;
	}

	@:hlNative("hlsharp", "atomic_int_sub") static function subNative(cell:IntCell, b:Int):Int {
		return 0;
	}

	@:hlNative("hlsharp", "atomic_int_and") static function andNative(cell:IntCell, b:Int):Int {
		return 0;
	}

	@:hlNative("hlsharp", "atomic_int_or") static function orNative(cell:IntCell, b:Int):Int {
		return 0;
	}

	@:hlNative("hlsharp", "atomic_int_xor") static function xorNative(cell:IntCell, b:Int):Int {
		return 0;
	}

	@:hlNative("hlsharp", "atomic_int_compare_exchange") static function compareExchangeNative(cell:IntCell, expected:Int, replacement:Int):Int {
		return 0;
	}

	@:hlNative("hlsharp", "atomic_int_exchange") static function exchangeNative(cell:IntCell, value:Int):Int {
		return 0;
	}

	@:hlNative("hlsharp", "atomic_int_load") static function loadNative(cell:IntCell):Int {
		return 0;
	}

	@:hlNative("hlsharp", "atomic_int_store") static function storeNative(cell:IntCell, value:Int):Int {
		return 0;
	}
}
