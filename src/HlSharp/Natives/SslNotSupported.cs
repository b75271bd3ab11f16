using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// The "ssl" library that Haxe's <c>sys.ssl</c> (TLS sockets, certificates, keys, digests) binds.
/// HashLink implements it on mbedTLS, a native library HlSharp does not ship, so every native here
/// is registered with the signature Haxe declares (the program loads and binds as under
/// <c>hl</c>) and raises a Haxe error a program can catch when called. .NET's
/// <see cref="System.Net.Security.SslStream"/> and <see cref="System.Security.Cryptography"/> could
/// back them later.
/// </summary>
internal static class SslNotSupported
{
    private const string Message = "SSL is not supported in HlSharp";

    private static Exception NotSupported(NativeContext m) => m.Runtime.MakeError(Message);

    /// <summary>
    /// Succeeds: <c>sys.ssl.Lib</c>'s static initialiser calls it in every program that links
    /// <c>sys.ssl</c> (for example through <c>haxe.Http</c>), so failing here would stop programs
    /// that never open a TLS connection.
    /// </summary>
    [HlNative("ssl", "ssl_init")]
    public static void Init()
    {
    }

    // ---- certificates (sys.ssl.Certificate) ----

    [HlNative("ssl", "cert_load_defaults")]
    public static object? CertLoadDefaults(NativeContext m) => throw NotSupported(m);

    [HlNative("ssl", "cert_load_file")]
    public static object? CertLoadFile(NativeContext m, HlBytes file) => throw NotSupported(m);

    [HlNative("ssl", "cert_load_path")]
    public static object? CertLoadPath(NativeContext m, HlBytes path) => throw NotSupported(m);

    [HlNative("ssl", "cert_get_subject")]
    public static HlBytes? CertGetSubject(NativeContext m, object? cert, HlBytes field) => throw NotSupported(m);

    [HlNative("ssl", "cert_get_issuer")]
    public static HlBytes? CertGetIssuer(NativeContext m, object? cert, HlBytes field) => throw NotSupported(m);

    [HlNative("ssl", "cert_get_altnames")]
    public static HlArray? CertGetAltNames(NativeContext m, object? cert) => throw NotSupported(m);

    [HlNative("ssl", "cert_get_notbefore")]
    public static HlArray? CertGetNotBefore(NativeContext m, object? cert) => throw NotSupported(m);

    [HlNative("ssl", "cert_get_notafter")]
    public static HlArray? CertGetNotAfter(NativeContext m, object? cert) => throw NotSupported(m);

    [HlNative("ssl", "cert_get_next")]
    public static object? CertGetNext(NativeContext m, object? cert) => throw NotSupported(m);

    [HlNative("ssl", "cert_add_pem")]
    public static object? CertAddPem(NativeContext m, object? cert, HlBytes data) => throw NotSupported(m);

    [HlNative("ssl", "cert_add_der")]
    public static object? CertAddDer(NativeContext m, object? cert, HlBytes data, int length) => throw NotSupported(m);

    // ---- keys (sys.ssl.Key) ----

    [HlNative("ssl", "key_from_pem")]
    public static object? KeyFromPem(NativeContext m, HlBytes data, bool isPublic, HlBytes? password) => throw NotSupported(m);

    [HlNative("ssl", "key_from_der")]
    public static object? KeyFromDer(NativeContext m, HlBytes data, int length, bool isPublic) => throw NotSupported(m);

    // ---- digests (sys.ssl.Digest) ----

    [HlNative("ssl", "dgst_make")]
    public static HlBytes? DigestMake(NativeContext m, HlBytes data, int length, HlBytes algorithm, HlRef<int> size) => throw NotSupported(m);

    [HlNative("ssl", "dgst_sign")]
    public static HlBytes? DigestSign(NativeContext m, HlBytes data, int length, object? key, HlBytes algorithm, HlRef<int> size) => throw NotSupported(m);

    [HlNative("ssl", "dgst_verify")]
    public static bool DigestVerify(NativeContext m, HlBytes data, int length, HlBytes signature, int signatureLength, object? key, HlBytes algorithm) =>
        throw NotSupported(m);

    // ---- configurations (sys.ssl.Context.Config) ----

    [HlNative("ssl", "conf_new")]
    public static object? ConfNew(NativeContext m, bool server) => throw NotSupported(m);

    [HlNative("ssl", "conf_close")]
    public static void ConfClose(NativeContext m, object? conf) => throw NotSupported(m);

    [HlNative("ssl", "conf_set_cert")]
    public static void ConfSetCert(NativeContext m, object? conf, object? cert, object? key) => throw NotSupported(m);

    [HlNative("ssl", "conf_set_ca")]
    public static void ConfSetCa(NativeContext m, object? conf, object? ca) => throw NotSupported(m);

    [HlNative("ssl", "conf_set_verify")]
    public static void ConfSetVerify(NativeContext m, object? conf, int mode) => throw NotSupported(m);

    [HlNative("ssl", "conf_set_servername_callback")]
    public static void ConfSetServernameCallback(NativeContext m, object? conf, HlClosure? callback) => throw NotSupported(m);

    // ---- connections (sys.ssl.Context) ----

    [HlNative("ssl", "ssl_new")]
    public static object? SslNew(NativeContext m, object? conf) => throw NotSupported(m);

    [HlNative("ssl", "ssl_close")]
    public static void SslClose(NativeContext m, object? context) => throw NotSupported(m);

    [HlNative("ssl", "ssl_handshake")]
    public static int SslHandshake(NativeContext m, object? context) => throw NotSupported(m);

    [HlNative("ssl", "ssl_recv_char")]
    public static int SslRecvChar(NativeContext m, object? context) => throw NotSupported(m);

    [HlNative("ssl", "ssl_send_char")]
    public static int SslSendChar(NativeContext m, object? context, int c) => throw NotSupported(m);

    [HlNative("ssl", "ssl_get_peer_certificate")]
    public static object? SslGetPeerCertificate(NativeContext m, object? context) => throw NotSupported(m);

    [HlNative("ssl", "ssl_recv")]
    public static int SslRecv(NativeContext m, object? context, HlBytes buffer, int pos, int length) => throw NotSupported(m);

    [HlNative("ssl", "ssl_send")]
    public static int SslSend(NativeContext m, object? context, HlBytes buffer, int pos, int length) => throw NotSupported(m);

    [HlNative("ssl", "ssl_set_socket")]
    public static void SslSetSocket(NativeContext m, object? context, object? socket) => throw NotSupported(m);

    [HlNative("ssl", "ssl_set_hostname")]
    public static void SslSetHostname(NativeContext m, object? context, HlBytes hostname) => throw NotSupported(m);
}
