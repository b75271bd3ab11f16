package hlsharp.thread;

private typedef ChannelHandle = hl.Abstract<"hlsharp_channel">;

/**
	A first-in first-out queue of messages between threads. Bounded (`new Channel(capacity)`:
	senders wait while it holds `capacity` messages) or unbounded (`new Channel()`).

	`close()` ends it: sending then throws `ChannelClosedException`; receivers still get what is
	left, and once it is drained, `receive` and `tryReceive` throw `ChannelClosedException` and
	iteration (`for (m in channel)`) ends. Timeouts are in seconds. A `receive` that times out
	returns null, so a channel whose messages may be null should be read without a timeout.
**/
class Channel<T> {
	static inline final DONE = 0;
	static inline final TIMED_OUT = 1;
	static inline final CLOSED = 2;

	final handle:ChannelHandle;

	/** The most messages the channel holds; 0 when unbounded. **/
	public var capacity(get, never):Int;

	/** How many messages wait in the channel now. **/
	public var length(get, never):Int;

	/** Whether `close()` was called. **/
	public var isClosed(get, never):Bool;

	/** A channel holding at most `capacity` messages; unbounded when `capacity` is null or 0. Negative throws. **/
	public function new(?capacity:Int) {
		handle = allocNative(capacity == null ? 0 : capacity);
	}

	/**
		Sends `value`, waiting while the channel is full: as long as it takes, or at most
		`timeout` seconds when given. True if sent, false if the timeout passed first.
		Throws `ChannelClosedException` if the channel is closed, or closes while waiting.
	**/
	public function send(value:T, ?timeout:Float):Bool {
		return sent(sendNative(handle, value, timeout));
	}

	/** Sends `value` if there is room now; false if the channel is full. Throws `ChannelClosedException` if closed. **/
	public function trySend(value:T):Bool {
		return sent(trySendNative(handle, value));
	}

	/**
		Takes the oldest message, waiting for one as long as it takes, or at most `timeout`
		seconds when given (then null if none came). Throws `ChannelClosedException` once the
		channel is closed and drained.
	**/
	public function receive(?timeout:Float):Null<T> {
		var value:Dynamic = null;
		return received(receiveNative(handle, timeout, untyped $ref(value)), value);
	}

	/** Takes the oldest message if there is one now, else null. Throws `ChannelClosedException` once closed and drained. **/
	public function tryReceive():Null<T> {
		var value:Dynamic = null;
		return received(tryReceiveNative(handle, untyped $ref(value)), value);
	}

	/** Closes the channel and wakes every waiting sender and receiver. Closing it again throws `ChannelClosedException`. **/
	public function close():Void {
		if (!closeNative(handle))
			throw new ChannelClosedException("Channel.close: the channel is already closed");
	}

	/** Iterates over the messages as they come, waiting for each; ends once the channel is closed and drained. **/
	public function iterator():Iterator<T> {
		return new ChannelIterator(this);
	}

	function sent(outcome:Int):Bool {
		if (outcome == CLOSED)
			throw new ChannelClosedException("Channel.send: the channel is closed");
		return outcome == DONE;
	}

	function received(outcome:Int, value:Dynamic):Null<T> {
		if (outcome == CLOSED)
			throw new ChannelClosedException("Channel.receive: the channel is closed and drained");
		return outcome == DONE ? value : null;
	}

	/** Receives into `into`; false once closed and drained. For the iterator, which must tell a null message from the end. **/
	@:allow(hlsharp.thread.ChannelIterator)
	function next(into:hl.Ref<Dynamic>):Bool {
		return receiveNative(handle, null, into) == DONE;
	}

	function get_capacity():Int {
		return capacityNative(handle);
	}

	function get_length():Int {
		return lengthNative(handle);
	}

	function get_isClosed():Bool {
		return isClosedNative(handle);
	}

	@:hlNative("hlsharp", "channel_alloc") static function allocNative(capacity:Int):ChannelHandle {
		return null;
	}

	@:hlNative("hlsharp", "channel_send") static function sendNative(handle:ChannelHandle, value:Dynamic, timeout:Null<Float>):Int {
		return 0;
	}

	@:hlNative("hlsharp", "channel_try_send") static function trySendNative(handle:ChannelHandle, value:Dynamic):Int {
		return 0;
	}

	@:hlNative("hlsharp", "channel_receive") static function receiveNative(handle:ChannelHandle, timeout:Null<Float>, into:hl.Ref<Dynamic>):Int {
		return 0;
	}

	@:hlNative("hlsharp", "channel_try_receive") static function tryReceiveNative(handle:ChannelHandle, into:hl.Ref<Dynamic>):Int {
		return 0;
	}

	@:hlNative("hlsharp", "channel_close") static function closeNative(handle:ChannelHandle):Bool {
		return false;
	}

	@:hlNative("hlsharp", "channel_is_closed") static function isClosedNative(handle:ChannelHandle):Bool {
		return false;
	}

	@:hlNative("hlsharp", "channel_length") static function lengthNative(handle:ChannelHandle):Int {
		return 0;
	}

	@:hlNative("hlsharp", "channel_capacity") static function capacityNative(handle:ChannelHandle):Int {
		return 0;
	}
}

/** Waits for the next message in `hasNext`, so a loop over a channel ends exactly when it is closed and drained. **/
private class ChannelIterator<T> {
	final channel:Channel<T>;
	var pending:Dynamic = null;
	var hasPending = false;
	var ended = false;

	public function new(channel:Channel<T>) {
		this.channel = channel;
	}

	public function hasNext():Bool {
		if (!hasPending && !ended) {
			var value:Dynamic = null;
			if (@:privateAccess channel.next(untyped $ref(value))) {
				pending = value;
				hasPending = true;
			} else {
				ended = true;
			}
		}
		return hasPending;
	}

	public function next():T {
		hasNext();
		hasPending = false;
		var value = pending;
		pending = null;
		return value;
	}
}
