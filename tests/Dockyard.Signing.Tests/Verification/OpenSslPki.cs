namespace Dockyard.Signing.Tests.Verification;

/// <summary>Keys, certificates and signatures made by the openssl command line, never by Dockyard.</summary>
public static class OpenSslPki
{
    private const string CaConfig = """
        [ca]
        default_ca = test
        [test]
        database = {dir}/index.txt
        serial = {dir}/serial.txt
        new_certs_dir = {dir}
        default_md = sha256
        policy = anything
        unique_subject = no
        [anything]
        commonName = supplied
        [signer]
        basicConstraints = CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = codeSigning
        [nousage]
        basicConstraints = CA:FALSE
        keyUsage = critical,keyEncipherment
        """;

    /// <summary>An ECDSA P-256 key pair: <c>name.key</c> (private) and <c>name.pub</c> (PEM public key, as cosign.pub).</summary>
    public static async Task EcKeyAsync(ToolFolder dir, string name)
    {
        await dir.RunAsync("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", dir.File(name + ".key"));
        await dir.RunAsync("ec", "-in", dir.File(name + ".key"), "-pubout", "-out", dir.File(name + ".pub"));
    }

    /// <summary>A self-signed root CA certificate <c>name.crt</c> with key <c>name.key</c>.</summary>
    public static async Task RootCaAsync(ToolFolder dir, string name)
    {
        await dir.RunAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.File(name + ".key"),
            "-out", dir.File(name + ".crt"), "-days", "30", "-subj", $"/CN={name}",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    /// <summary>
    /// A leaf certificate <c>name.crt</c> (key <c>name.key</c>, EC P-256 or RSA 3072) issued by <paramref name="ca"/>
    /// with <c>openssl ca</c>; <paramref name="start"/>/<paramref name="end"/> (YYYYMMDDHHMMSSZ) default to 30 days from now.
    /// </summary>
    public static async Task LeafAsync(ToolFolder dir, string name, string ca, bool rsa = false, string? start = null, string? end = null,
        string extensions = "signer")
    {
        await dir.RunAsync("req", "-newkey", rsa ? "rsa:3072" : "ec", "-pkeyopt", rsa ? "rsa_keygen_bits:3072" : "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", dir.File(name + ".key"), "-out", dir.File(name + ".csr"), "-subj", $"/CN={name}");
        dir.Write("ca.cnf", CaConfig.Replace("{dir}", dir.Path, StringComparison.Ordinal));
        if (!File.Exists(dir.File("serial.txt")))
        {
            dir.Write("index.txt", "");
            dir.Write("serial.txt", "1000\n");
        }
        var validity = start is null ? new[] { "-days", "30" } : ["-startdate", start, "-enddate", end!];
        await dir.RunAsync(["ca", "-batch", "-config", dir.File("ca.cnf"), "-cert", dir.File(ca + ".crt"), "-keyfile", dir.File(ca + ".key"),
            "-in", dir.File(name + ".csr"), "-out", dir.File(name + ".crt"), "-extensions", extensions, "-notext", .. validity]);
    }

    /// <summary>The DER of the first certificate in a PEM file, base64 (an x5c entry).</summary>
    public static async Task<string> DerBase64Async(ToolFolder dir, string certificate)
    {
        await dir.RunAsync("x509", "-in", dir.File(certificate + ".crt"), "-outform", "DER", "-out", dir.File(certificate + ".der"));
        return Convert.ToBase64String(dir.Read(certificate + ".der"));
    }

    /// <summary><c>openssl dgst -sha256 -sign</c>: an ASN.1 DER ECDSA signature, or RSA-PSS (salt 32) when <paramref name="pss"/>.</summary>
    public static async Task<byte[]> SignAsync(ToolFolder dir, string key, byte[] data, bool pss = false)
    {
        var input = "in-" + Guid.NewGuid().ToString("N");
        dir.Write(input, data);
        string[] padding = pss ? ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"] : [];
        await dir.RunAsync(["dgst", "-sha256", "-sign", dir.File(key + ".key"), .. padding, "-out", dir.File(input + ".sig"), dir.File(input)]);
        return dir.Read(input + ".sig");
    }
}
