using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// IPv4 TCP and UDP sockets and host names (HashLink's <c>std/socket.c</c>) on
/// <see cref="System.Net.Sockets.Socket"/>. The conventions are HashLink's, because Haxe's
/// <c>sys.net.Socket</c> turns them into exceptions: a transfer returns the byte count, -1 when
/// the operation would block or timed out (Haxe throws <c>Blocked</c>) and -2 on any other error
/// (Haxe throws <c>Eof</c>); other operations return false on failure (Haxe throws a
/// <c>SysError</c>). An IPv4 address is an Int holding the address bytes in network order read as
/// a little-endian integer, as HashLink stores <c>in_addr</c> on the little-endian machines it
/// runs on: 127.0.0.1 is 0x0100007F.
/// </summary>
internal static class StdSocket
{
    /// <summary>
    /// A socket handle (<c>hl_socket</c>). Closing keeps the handle but drops the socket, so a
    /// closed handle fails every later operation as HashLink's invalidated descriptor does.
    /// </summary>
    internal sealed class SocketHandle(Socket socket)
    {
        public Socket? Socket { get; private set; } = socket;

        /// <summary>The receive timeout set through <c>socket_set_timeout</c>, which bounds <c>accept</c> as SO_RCVTIMEO does on Linux.</summary>
        public TimeSpan? Timeout { get; set; }

        public void Close()
        {
            Socket?.Dispose();
            Socket = null;
        }
    }

    private const int WouldBlock = -1;
    private const int Failed = -2;

    [HlNative("std", "socket_init")]
    public static void Init()
    {
        // Nothing to start: .NET initialises the platform's socket library itself.
    }

    [HlNative("std", "socket_new")]
    public static SocketHandle? New(bool udp)
    {
        try
        {
            return new SocketHandle(udp
                ? new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
                : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        }
        catch (SocketException)
        {
            return null;
        }
    }

    [HlNative("std", "socket_close")]
    public static void Close(SocketHandle? handle) => handle?.Close();

    [HlNative("std", "socket_set_broadcast")]
    public static bool SetBroadcast(SocketHandle? handle, bool enable) => Try(handle, s => s.EnableBroadcast = enable);

    // ---- transfers ----

    [HlNative("std", "socket_send_char")]
    public static int SendChar(SocketHandle? handle, int c) =>
        Transfer(handle, s =>
        {
            ReadOnlySpan<byte> one = [(byte)c];
            return s.Send(one) >= 0 ? 1 : Failed;
        });

    [HlNative("std", "socket_send")]
    public static int Send(SocketHandle? handle, HlBytes buffer, int pos, int length) =>
        Transfer(handle, s => s.Send(buffer.AsSpan(pos, length)));

    [HlNative("std", "socket_recv")]
    public static int Receive(SocketHandle? handle, HlBytes buffer, int pos, int length) =>
        Transfer(handle, s => s.Receive(buffer.AsSpan(pos, length)));

    [HlNative("std", "socket_recv_char")]
    public static int ReceiveChar(SocketHandle? handle) =>
        Transfer(handle, s =>
        {
            Span<byte> one = stackalloc byte[1];
            // The end of the stream is an error for a single byte: there is no count to return.
            return s.Receive(one) == 0 ? Failed : one[0];
        });

    [HlNative("std", "socket_send_to")]
    public static int SendTo(SocketHandle? handle, HlBytes data, int length, int host, int port) =>
        Transfer(handle, s => s.SendTo(data.AsSpan(0, length), new IPEndPoint(ToAddress(host), port & 0xFFFF)));

    [HlNative("std", "socket_recv_from")]
    public static int ReceiveFrom(SocketHandle? handle, HlBytes data, int length, HlRef<int> host, HlRef<int> port) =>
        Transfer(handle, s =>
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            var received = s.ReceiveFrom(data.AsSpan(0, length), ref from);
            var sender = (IPEndPoint)from;
            host.Value = FromAddress(sender.Address);
            port.Value = sender.Port;
            return received;
        });

    private delegate int SocketTransfer(Socket socket);

    /// <summary>Runs a transfer and maps its failure to HashLink's codes: -1 would block (or timed out), -2 anything else.</summary>
    private static int Transfer(SocketHandle? handle, SocketTransfer transfer)
    {
        if (handle?.Socket is not { } socket)
        {
            return Failed;
        }

        try
        {
            return transfer(socket);
        }
        catch (SocketException e)
        {
            return IsBlocking(e.SocketErrorCode) ? WouldBlock : Failed;
        }
        catch (ObjectDisposedException)
        {
            return Failed;
        }
        catch (InvalidOperationException)
        {
            // .NET refuses some calls the OS would fail (receiving on an unbound UDP socket).
            return Failed;
        }
    }

    /// <summary>
    /// The errors HashLink reports as "would block": the socket is non-blocking and not ready, or
    /// (on Linux, where a timeout surfaces as EAGAIN) a timeout set by <c>setTimeout</c> expired.
    /// </summary>
    private static bool IsBlocking(SocketError error) =>
        error is SocketError.WouldBlock or SocketError.InProgress or SocketError.AlreadyInProgress or SocketError.IOPending or SocketError.TimedOut;

    // ---- connections ----

    [HlNative("std", "socket_connect")]
    public static bool Connect(SocketHandle? handle, int host, int port)
    {
        if (handle?.Socket is not { } socket)
        {
            return false;
        }

        try
        {
            socket.Connect(new IPEndPoint(ToAddress(host), port & 0xFFFF));
            return true;
        }
        catch (SocketException e)
        {
            // A non-blocking connect that has started counts as success, as in HashLink.
            return IsBlocking(e.SocketErrorCode);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    [HlNative("std", "socket_listen")]
    public static bool Listen(SocketHandle? handle, int backlog) => Try(handle, s => s.Listen(backlog));

    [HlNative("std", "socket_bind")]
    public static bool Bind(SocketHandle? handle, int host, int port) =>
        Try(handle, s =>
        {
            AllowAddressReuse(s);
            s.Bind(new IPEndPoint(ToAddress(host), port & 0xFFFF));
        });

    /// <summary>
    /// HashLink sets SO_REUSEADDR before binding except on Windows, so a server restarts on a port
    /// still in TIME_WAIT. It is set as the raw option because .NET's <c>ReuseAddress</c> also
    /// sets SO_REUSEPORT on Unix, which would let two live sockets bind the same port.
    /// </summary>
    private static void AllowAddressReuse(Socket socket)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
            }
            else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS())
            {
                socket.SetRawSocketOption(0xFFFF /* SOL_SOCKET */, 4 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
            }
        }
        catch (SocketException)
        {
            // HashLink ignores a failure here too; bind reports what matters.
        }
    }

    [HlNative("std", "socket_accept")]
    public static SocketHandle? Accept(SocketHandle? handle)
    {
        if (handle?.Socket is not { } socket)
        {
            return null;
        }

        try
        {
            // A receive timeout bounds accept on Linux; .NET's Accept ignores it, so wait for a
            // pending connection first.
            if (socket.Blocking && handle.Timeout is { } timeout && !Poll(socket, timeout, SelectMode.SelectRead))
            {
                return null;
            }

            return new SocketHandle(socket.Accept());
        }
        catch (SocketException)
        {
            return null;
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // Accepting on a socket that is not listening.
            return null;
        }
    }

    [HlNative("std", "socket_peer")]
    public static bool Peer(SocketHandle? handle, HlRef<int> host, HlRef<int> port) =>
        EndPointOf(handle, s => s.RemoteEndPoint, host, port);

    [HlNative("std", "socket_host")]
    public static bool Host(SocketHandle? handle, HlRef<int> host, HlRef<int> port) =>
        EndPointOf(handle, s => s.LocalEndPoint ?? new IPEndPoint(IPAddress.Any, 0), host, port);

    private static bool EndPointOf(SocketHandle? handle, Func<Socket, EndPoint?> read, HlRef<int> host, HlRef<int> port)
    {
        if (handle?.Socket is not { } socket)
        {
            return false;
        }

        try
        {
            if (read(socket) is not IPEndPoint endPoint)
            {
                return false;
            }

            host.Value = FromAddress(endPoint.Address);
            port.Value = endPoint.Port;
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    // ---- options ----

    [HlNative("std", "socket_set_timeout")]
    public static bool SetTimeout(SocketHandle? handle, double seconds)
    {
        // A negative time is refused by setsockopt; zero means no timeout.
        if (handle?.Socket is not { } socket || double.IsNaN(seconds) || seconds < 0)
        {
            return false;
        }

        var milliseconds = seconds * 1000 >= int.MaxValue ? 0 : (int)Math.Ceiling(seconds * 1000);
        return Try(handle, _ =>
        {
            socket.SendTimeout = milliseconds;
            socket.ReceiveTimeout = milliseconds;
            handle.Timeout = milliseconds == 0 ? null : TimeSpan.FromMilliseconds(milliseconds);
        });
    }

    [HlNative("std", "socket_shutdown")]
    public static bool Shutdown(SocketHandle? handle, bool read, bool write)
    {
        if (handle?.Socket is null)
        {
            return false;
        }

        if (!read && !write)
        {
            return true;
        }

        return Try(handle, s => s.Shutdown(read ? (write ? SocketShutdown.Both : SocketShutdown.Receive) : SocketShutdown.Send));
    }

    [HlNative("std", "socket_set_blocking")]
    public static bool SetBlocking(SocketHandle? handle, bool blocking) => Try(handle, s => s.Blocking = blocking);

    [HlNative("std", "socket_set_fast_send")]
    public static bool SetFastSend(SocketHandle? handle, bool fast) => Try(handle, s => s.NoDelay = fast);

    /// <summary>Runs an operation that HashLink reports as a bool: false when it fails or the socket is gone.</summary>
    private static bool Try(SocketHandle? handle, Action<Socket> operation)
    {
        if (handle?.Socket is not { } socket)
        {
            return false;
        }

        try
        {
            operation(socket);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // ---- select ----

    /// <summary>
    /// The scratch space Haxe allocates for <c>socket_select</c>'s descriptor sets. HlSharp's
    /// select needs none, but Haxe still sizes and passes a buffer; any positive size will do.
    /// </summary>
    [HlNative("std", "socket_fd_size")]
    public static int FdSize(int count) => count < 0 ? -1 : 8 + (count * 8);

    /// <summary>
    /// Waits until sockets of the three arrays are readable, writable or in error. Each array is
    /// rewritten in place as HashLink does: the ready sockets first, in their order, then a null
    /// that ends the list (a null element also ends the input list).
    /// </summary>
    [HlNative("std", "socket_select")]
    public static bool Select(HlArray? read, HlArray? write, HlArray? others, HlBytes? scratch, int scratchSize, double timeout)
    {
        _ = scratch;
        _ = scratchSize;
        var readList = SocketsOf(read);
        var writeList = SocketsOf(write);
        var errorList = SocketsOf(others);
        if (readList is null || writeList is null || errorList is null)
        {
            return false;
        }

        try
        {
            if (readList.Count + writeList.Count + errorList.Count == 0)
            {
                // select() on no descriptors just waits.
                Thread.Sleep(timeout < 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(timeout));
            }
            else
            {
                Socket.Select(readList.Count == 0 ? null : readList, writeList.Count == 0 ? null : writeList,
                    errorList.Count == 0 ? null : errorList, SelectTimeout(timeout));
            }
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        KeepReady(read, readList);
        KeepReady(write, writeList);
        KeepReady(others, errorList);
        return true;
    }

    /// <summary>The sockets of a select array up to its first null; null when one of them is closed (the OS would refuse its descriptor).</summary>
    private static List<Socket>? SocketsOf(HlArray? array)
    {
        var list = new List<Socket>();
        if (array is null)
        {
            return list;
        }

        foreach (var element in (object?[])array.Data)
        {
            if (element is not SocketHandle handle)
            {
                break;
            }

            if (handle.Socket is not { } socket)
            {
                return null;
            }

            list.Add(socket);
        }

        return list;
    }

    private static void KeepReady(HlArray? array, List<Socket> ready)
    {
        if (array is null)
        {
            return;
        }

        var elements = (object?[])array.Data;
        var kept = 0;
        for (var i = 0; i < elements.Length && elements[i] is SocketHandle handle; i++)
        {
            if (handle.Socket is { } socket && ready.Contains(socket))
            {
                elements[kept++] = handle;
            }
        }

        if (kept < elements.Length)
        {
            elements[kept] = null;
        }
    }

    /// <summary>A select timeout: negative waits forever; .NET caps a finite one at int.MaxValue microseconds.</summary>
    private static TimeSpan SelectTimeout(double seconds)
    {
        if (seconds < 0 || double.IsNaN(seconds))
        {
            return System.Threading.Timeout.InfiniteTimeSpan;
        }

        var microseconds = Math.Min(seconds * 1_000_000, int.MaxValue - 1);
        return TimeSpan.FromMicroseconds(microseconds);
    }

    private static bool Poll(Socket socket, TimeSpan timeout, SelectMode mode) =>
        socket.Poll(timeout > TimeSpan.FromSeconds(2000) ? System.Threading.Timeout.InfiniteTimeSpan : timeout, mode);

    // ---- hosts ----

    /// <summary>
    /// A host's IPv4 address: a dotted address as written (with inet_addr's short forms), otherwise
    /// the first IPv4 address the resolver gives the name; -1 when there is none.
    /// </summary>
    [HlNative("std", "host_resolve")]
    public static int Resolve(HlBytes name)
    {
        var text = name.ReadUtf8Terminated();
        if (IPAddress.TryParse(text, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetwork)
        {
            return FromAddress(parsed);
        }

        try
        {
            foreach (var address in Dns.GetHostAddresses(text, AddressFamily.InterNetwork))
            {
                return FromAddress(address);
            }
        }
        catch (SocketException)
        {
        }
        catch (ArgumentException)
        {
            // Names the resolver refuses outright (too long, invalid characters).
        }

        return -1;
    }

    [HlNative("std", "host_to_string")]
    public static HlBytes HostToString(int host) => HlBytes.FromUtf8(ToAddress(host).ToString());

    /// <summary>The name the resolver gives an IPv4 address; null when it has none.</summary>
    [HlNative("std", "host_reverse")]
    public static HlBytes? Reverse(int host)
    {
        try
        {
            return HlBytes.FromUtf8(Dns.GetHostEntry(ToAddress(host)).HostName);
        }
        catch (SocketException)
        {
            return null;
        }
    }

    [HlNative("std", "host_local")]
    public static HlBytes? Local()
    {
        try
        {
            return HlBytes.FromUtf8(Dns.GetHostName());
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>The address an HL host Int stands for (its four bytes, little-endian, are the address in network order).</summary>
    internal static IPAddress ToAddress(int host)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, host);
        return new IPAddress(bytes);
    }

    /// <summary>The HL host Int of an IPv4 address.</summary>
    internal static int FromAddress(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.TryWriteBytes(bytes, out var written) && written == 4 ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : 0;
    }
}
