using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Dockyard.Server.Logging;

/// <summary>
/// Appends log lines to <c>[log] filepath</c>, as the original Dockyard did: plain text, or with <c>[log] format = json</c>
/// one JSON object per line in the console's JSON shape (Timestamp, EventId, LogLevel, Category, Message, State with the
/// entry's named fields). One writer shared by all categories, flushed per line so that a crash loses nothing already logged.
/// </summary>
internal sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly StreamWriter writer;
    private readonly bool json;
    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, FileLogger> loggers = new();

    public FileLoggerProvider(string path, bool json = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        this.json = json;
    }

    public ILogger CreateLogger(string categoryName) => loggers.GetOrAdd(categoryName, name => new FileLogger(this, name));

    public void Dispose() => writer.Dispose();

    private void Write(string line)
    {
        lock (gate)
        {
            writer.WriteLine(line);
        }
    }

    private static string JsonLine<TState>(LogLevel logLevel, string category, EventId eventId, TState state, string message, Exception? exception)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Timestamp", DateTimeOffset.UtcNow);
            json.WriteNumber("EventId", eventId.Id);
            json.WriteString("LogLevel", logLevel.ToString());
            json.WriteString("Category", category);
            json.WriteString("Message", message);
            if (exception is not null)
            {
                json.WriteString("Exception", exception.ToString());
            }
            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                json.WriteStartObject("State");
                foreach (var (key, value) in fields)
                {
                    json.WritePropertyName(key);
                    switch (value)
                    {
                        case null: json.WriteNullValue(); break;
                        case bool b: json.WriteBooleanValue(b); break;
                        case int i: json.WriteNumberValue(i); break;
                        case long l: json.WriteNumberValue(l); break;
                        case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
                        default: json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                    }
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (provider.json)
            {
                provider.Write(JsonLine(logLevel, category, eventId, state, formatter(state, exception), exception));
                return;
            }
            var line = $"{DateTimeOffset.UtcNow:O} {logLevel} {category}: {formatter(state, exception)}";
            provider.Write(exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}
