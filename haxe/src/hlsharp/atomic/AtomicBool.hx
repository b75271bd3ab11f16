package hlsharp.atomic;

/**
	A Bool updated atomically, shaped as Haxe 4.3's `haxe.atomic.AtomicBool`: `compareExchange`
	and `exchange` return the value before the operation.
**/
abstract AtomicBool(AtomicInt) {
	public inline function new(value:Bool) {
		this = new AtomicInt(toInt(value));
	}

	/** Stores `replacement` if the value is `expected`; returns the value before. **/
	public inline function compareExchange(expected:Bool, replacement:Bool):Bool {
		return this.compareExchange(toInt(expected), toInt(replacement)) == 1;
	}

	/** Stores `value`; returns the value before. **/
	public inline function exchange(value:Bool):Bool {
		return this.exchange(toInt(value)) == 1;
	}

	/** The value now. **/
	public inline function load():Bool {
		return this.load() == 1;
	}

	/** Stores `value`; returns `value`. **/
	public inline function store(value:Bool):Bool {
		this.store(toInt(value));
		return value;
	}

	static inline function toInt(value:Bool):Int {
		return value ? 1 : 0;
	}
}
