// The daemon's log lines: text as flywheeld has always written them, JSON one
// object per line with the message escaped, and whole lines from many threads.

#include "common/Log.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QTest>

#include <unistd.h>

#include <thread>
#include <vector>

using namespace flywheel::common;

namespace {

using namespace std::chrono;

/// 2026-12-07T03:51:57 UTC plus `millis` milliseconds.
system_clock::time_point at(int millis)
{
    return sys_days{year{2026} / December / 7} + hours(3) + minutes(51) + seconds(57) + milliseconds(millis);
}

std::string json(LogLevel level, std::string_view message, system_clock::time_point time = at(123))
{
    return Log::line(LogFormat::Json, level, time, message);
}

/// The object a JSON line holds; fails the test when it is not exactly one object
/// followed by the newline.
QJsonObject parsedLine(const std::string &line)
{
    if (line.empty() || line.back() != '\n' || line.find('\n') != line.size() - 1)
        qFatal("not one line: %.300s", line.c_str());
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(line), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("not a JSON object (%s): %.300s", qPrintable(error.errorString()), line.c_str());
    return document.object();
}

} // namespace

class TestLog final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void textIsTodaysLines()
    {
        QCOMPARE(Log::line(LogFormat::Text, LogLevel::Info, at(0), "stopped cleanly"),
                 std::string("flywheeld: stopped cleanly\n"));
        QCOMPARE(Log::line(LogFormat::Text, LogLevel::Error, at(0), "cannot start: no"),
                 std::string("flywheeld: cannot start: no\n"));
        QCOMPARE(Log::line(LogFormat::Text, LogLevel::Warning, at(0), "serving plaintext"),
                 std::string("flywheeld: warning: serving plaintext\n"));
    }

    void jsonLineHasTimeLevelAndMessage()
    {
        QCOMPARE(
            json(LogLevel::Warning, "serving plaintext on 0.0.0.0:0"),
            std::string(
                "{\"ts\":\"2026-12-07T03:51:57.123Z\",\"level\":\"warning\",\"msg\":\"serving plaintext on 0.0.0.0:0\"}"
                "\n"));
        QCOMPARE(json(LogLevel::Info, "stopped cleanly", at(7)),
                 std::string("{\"ts\":\"2026-12-07T03:51:57.007Z\",\"level\":\"info\",\"msg\":\"stopped cleanly\"}"
                             "\n"));
        QCOMPARE(json(LogLevel::Error, "x", at(0)),
                 std::string("{\"ts\":\"2026-12-07T03:51:57.000Z\",\"level\":\"error\",\"msg\":\"x\"}"
                             "\n"));
    }

    void jsonTimeIsTruncatedToMilliseconds()
    {
        const auto time = at(999) + microseconds(999);
        QCOMPARE(parsedLine(json(LogLevel::Info, "x", time)).value(QStringLiteral("ts")).toString(),
                 QStringLiteral("2026-12-07T03:51:57.999Z"));
    }

    void jsonEscapesTheMessage_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QByteArray>("escaped");
        QTest::newRow("quotes") << QByteArray("file \"a.yaml\"") << QByteArray("\"file \\\"a.yaml\\\"\"");
        QTest::newRow("backslash") << QByteArray("C:\\dir\\") << QByteArray("\"C:\\\\dir\\\\\"");
        QTest::newRow("newline, tab, return")
            << QByteArray("one\ntwo\tthree\r") << QByteArray("\"one\\ntwo\\tthree\\r\"");
        QTest::newRow("backspace, form feed") << QByteArray("a\bb\fc") << QByteArray("\"a\\bb\\fc\"");
        QTest::newRow("other control characters")
            << QByteArray("\x01\x1f\x1b[0m") << QByteArray("\"\\u0001\\u001f\\u001b[0m\"");
        QTest::newRow("slash and DEL as they are") << QByteArray("a/b\x7f") << QByteArray("\"a/b\x7f\"");
        QTest::newRow("UTF-8 passed through") << QByteArray("价格规则 café ✓") << QByteArray("\"价格规则 café ✓\"");
        QTest::newRow("a byte that is not UTF-8")
            << QByteArray("bad \xff byte") << QByteArray("\"bad \xEF\xBF\xBD byte\"");
        QTest::newRow("empty") << QByteArray("") << QByteArray("\"\"");
    }
    void jsonEscapesTheMessage()
    {
        QFETCH(QByteArray, message);
        QFETCH(QByteArray, escaped);
        const std::string line = json(LogLevel::Error, message.toStdString());
        const std::string expected =
            "{\"ts\":\"2026-12-07T03:51:57.123Z\",\"level\":\"error\",\"msg\":" + escaped.toStdString() + "}\n";
        QCOMPARE(line, expected);
        parsedLine(line);
    }

    void jsonRoundTripsEveryAsciiCharacter()
    {
        std::string message;
        for (int c = 1; c < 128; ++c)
            message.push_back(static_cast<char>(c));
        message += "价";
        const QJsonObject object = parsedLine(json(LogLevel::Info, message));
        QCOMPARE(object.value(QStringLiteral("msg")).toString(), QString::fromStdString(message));
        QCOMPARE(object.value(QStringLiteral("level")).toString(), QStringLiteral("info"));
        QCOMPARE(object.size(), 3);
    }

    void formatNames()
    {
        QCOMPARE(Log::parseFormat("text"), std::optional(LogFormat::Text));
        QCOMPARE(Log::parseFormat("json"), std::optional(LogFormat::Json));
        QVERIFY(!Log::parseFormat("JSON"));
        QVERIFY(!Log::parseFormat("xml"));
        QVERIFY(!Log::parseFormat(""));
    }

    // Lines from many threads at once reach stderr whole, one per message.
    void concurrentLinesNeverInterleave()
    {
        // stderr becomes a pipe, as under systemd or a log shipper; a reader drains it.
        int ends[2];
        QVERIFY(::pipe(ends) == 0);
        const int savedStderr = ::dup(STDERR_FILENO);
        QVERIFY(savedStderr >= 0);
        QVERIFY(::dup2(ends[1], STDERR_FILENO) >= 0);
        ::close(ends[1]);
        QByteArray written;
        std::thread reader([&written, readEnd = ends[0]] {
            char buffer[65536];
            ssize_t n = 0;
            while ((n = ::read(readEnd, buffer, sizeof buffer)) > 0)
                written.append(buffer, n);
        });

        Log::setFormat(LogFormat::Json);
        constexpr int kThreads = 8;
        constexpr int kLines = 200;
        {
            std::vector<std::jthread> threads;
            for (int t = 0; t < kThreads; ++t) {
                threads.emplace_back([t] {
                    // Longer than PIPE_BUF, so the pipe alone would not keep lines whole.
                    const std::string padding(5000, static_cast<char>('a' + t));
                    for (int i = 0; i < kLines; ++i)
                        Log::warning(std::to_string(t) + " " + std::to_string(i) + " " + padding);
                });
            }
        }
        Log::setFormat(LogFormat::Text);
        QVERIFY(::dup2(savedStderr, STDERR_FILENO) >= 0); // closes the last write end: the reader sees EOF
        ::close(savedStderr);
        reader.join();
        ::close(ends[0]);

        const QList<QByteArray> lines = written.split('\n');
        QCOMPARE(lines.size(), kThreads * kLines + 1); // and nothing after the last newline
        QVERIFY(lines.last().isEmpty());
        std::vector<int> next(kThreads, 0);
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            const QJsonObject object = parsedLine(lines[i].toStdString() + "\n");
            QCOMPARE(object.value(QStringLiteral("level")).toString(), QStringLiteral("warning"));
            const QStringList parts = object.value(QStringLiteral("msg")).toString().split(QLatin1Char(' '));
            QCOMPARE(parts.size(), 3);
            const int t = parts[0].toInt();
            QVERIFY(t >= 0 && t < kThreads);
            QCOMPARE(parts[1].toInt(), next[t]++); // each thread's lines in its order
            QCOMPARE(parts[2], QString(5000, QLatin1Char(static_cast<char>('a' + t))));
        }
        for (int t = 0; t < kThreads; ++t)
            QCOMPARE(next[t], kLines);
    }
};

QTEST_GUILESS_MAIN(TestLog)
#include "tst_log.moc"
