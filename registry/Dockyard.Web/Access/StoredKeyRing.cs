using System.Xml;
using System.Xml.Linq;
using Dockyard.Core.Accounts;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging;

namespace Dockyard.Web.Access;

/// <summary>
/// The data-protection key ring (session cookies, antiforgery tokens) kept in the metadata store through Core's
/// <see cref="ISessionKeyStore"/>, so every node behind a proxy reads the same keys and accepts the others' cookies.
/// With a cipher the keys are sealed at rest and an unsealed or foreign entry is skipped (a node with another
/// secret then makes a key of its own, and the warning says why its cookies fail elsewhere); without one (standalone
/// mode and no <c>[web] secret</c>) they are stored as the framework's XML.
/// </summary>
/// <remarks>
/// <para>Nodes that start together on an empty store would each make a first key and use it. A node meeting a cookie
/// sealed with a key it has not read re-reads the ring only in the first two minutes after it started (the framework's
/// auto-refresh window), otherwise at its next read about a day later, refusing the cookie meanwhile. So a key made by
/// a node that found the store empty is stored under <see cref="FirstKeyName"/>, once: the node that loses that insert
/// keeps no key of its own, and the framework's read right after making a key finds the winner's, which every node then
/// uses. Later keys (made days before the current one expires, so every node reads them in time) keep their own names.</para>
/// The framework calls this synchronously, once when it first needs the ring and again when a key is added or the
/// ring is refreshed (about daily), never per request, so blocking on the store here costs nothing measurable.
/// </remarks>
internal sealed partial class StoredKeyRing(ISessionKeyStore store, KeyRingCipher? cipher, ILogger<StoredKeyRing> logger) : IXmlRepository
{
    /// <summary>The name of the first key ever stored, which only one node can add.</summary>
    public const string FirstKeyName = "key-first";

    // Whether the last read found no key at all (readable or not): a key made after it is a first key.
    private volatile bool foundEmpty;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var stored = store.ListAsync(CancellationToken.None).GetAwaiter().GetResult();
        foundEmpty = stored.Count == 0;
        var elements = new List<XElement>(stored.Count);
        foreach (var key in stored)
        {
            var xml = cipher is null ? key.Content : cipher.Open(key.Name, key.Content);
            if (xml is null || Parse(xml) is not { } element)
            {
                LogUnreadable(logger, key.Name);
                continue;
            }
            elements.Add(element);
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        var name = foundEmpty ? FirstKeyName : friendlyName;
        var xml = element.ToString(SaveOptions.DisableFormatting);
        var content = cipher is null ? xml : cipher.Seal(name, xml);
        // Names are otherwise "key-<guid>": a clash is another node storing the very same key, which is no loss.
        if (!store.TryAddAsync(new StoredSessionKey(name, content), CancellationToken.None).GetAwaiter().GetResult() && foundEmpty)
        {
            LogFirstKeyTaken(logger);
        }
    }

    private static XElement? Parse(string xml)
    {
        try
        {
            return XElement.Parse(xml);
        }
        catch (XmlException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "another node stored the first session key at the same time; this node uses that key instead of its own")]
    private static partial void LogFirstKeyTaken(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "session key {Name} in the metadata store cannot be read with this node's key ring secret ([web] secret or the token signing key); sessions made with it are refused here")]
    private static partial void LogUnreadable(ILogger logger, string name);
}
