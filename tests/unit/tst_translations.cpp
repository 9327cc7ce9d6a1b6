// The Simplified Chinese translation: embedded in the console, chosen by the locale,
// complete, and in step with the strings in the sources, so an operator working in
// Chinese never meets a stray English message.

#include "client/BackendConnection.h"
#include "dashboard/DashboardPage.h"
#include "MainWindow.h"
#include "Translations.h"

#include <QAbstractButton>
#include <QCoreApplication>
#include <QFile>
#include <QLibraryInfo>
#include <QListWidget>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

#include <algorithm>

using namespace flywheel;

namespace {

const QString kTsFile = QStringLiteral(FLYWHEEL_SOURCE_DIR "/resources/translations/flywheel_zh_CN.ts");
const QLocale kChinese(QLocale::Chinese, QLocale::SimplifiedHanScript, QLocale::China);

struct TsMessage {
    QString context;
    QString source;
    QString translation;
    QString type; // empty when finished; "unfinished", "obsolete" or "vanished" otherwise
};

QList<TsMessage> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, file.errorString());
        return {};
    }
    QList<TsMessage> messages;
    QString context;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == u"name") {
            context = xml.readElementText();
        } else if (xml.name() == u"message") {
            TsMessage message{context, {}, {}, {}};
            while (xml.readNextStartElement()) {
                if (xml.name() == u"source") {
                    message.source = xml.readElementText();
                } else if (xml.name() == u"translation") {
                    message.type = xml.attributes().value(QLatin1StringView("type")).toString();
                    message.translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                } else {
                    xml.skipCurrentElement();
                }
            }
            messages.append(message);
        }
    }
    if (xml.hasError())
        *error = QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return messages;
}

QString describe(const TsMessage &message)
{
    return QStringLiteral("  [%1] \"%2\"").arg(message.context, message.source);
}

/// The numbered placeholders of a text, sorted: "%2 of %1" -> {"%1", "%2"}.
QStringList placeholders(const QString &text)
{
    static const QRegularExpression number(QStringLiteral("%(\\d{1,2})"));
    QStringList found;
    for (const QRegularExpressionMatch &match : number.globalMatch(text))
        found.append(match.captured(0));
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    return found;
}

} // namespace

class TestTranslations final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup()
    {
        // Translators belong to the application; deleting them uninstalls them.
        qDeleteAll(qApp->findChildren<QTranslator *>(Qt::FindDirectChildrenOnly));
        QLocale::setDefault(QLocale::c());
    }

    void embeddedTranslationLoads()
    {
        QTranslator translator;
        QVERIFY(translator.load(QStringLiteral("flywheel_zh_CN"), QString::fromUtf16(app::kTranslationsDirectory)));
        QVERIFY(!translator.isEmpty());
        QCOMPARE(translator.language(), QStringLiteral("zh_CN"));
    }

    void knownStringsTranslate_data()
    {
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char *context, const char *source, const QString &expected) {
            QTest::addRow("%s: %s", context, source)
                << QString::fromLatin1(context) << QString::fromUtf8(source) << expected;
        };
        row("flywheel::ui::MainWindow", "Dashboard", QStringLiteral("数据看板"));
        row("flywheel::ui::DashboardPage", "5 min", QStringLiteral("5分钟"));
        row("flywheel::ui::DashboardPage", "1 hour", QStringLiteral("1小时"));
        row("flywheel::ui::DashboardPage", "24 hours", QStringLiteral("24小时"));
        row("flywheel::ui::DashboardPage", "7 days", QStringLiteral("7天"));
        row("flywheel::ui::DashboardPage", "Repeat-purchase rate", QStringLiteral("复购率"));
        row("flywheel::ui::DashboardPage", "GMV", QStringLiteral("GMV"));
        row("flywheel::ui::DashboardPage", "ARPU", QStringLiteral("ARPU"));
        row("flywheel::ui::KpiTile", "%1 %2% vs %3", QStringLiteral("较%3 %1 %2%"));
        row("flywheel", "local demo backend (%1)", QStringLiteral("本地演示后端（%1）"));
    }

    void knownStringsTranslate()
    {
        QFETCH(QString, context);
        QFETCH(QString, source);
        QFETCH(QString, expected);
        QTranslator translator;
        QVERIFY(translator.load(kChinese, QStringLiteral("flywheel"), QStringLiteral("_"),
                                QString::fromUtf16(app::kTranslationsDirectory)));
        QCOMPARE(translator.translate(context.toUtf8().constData(), source.toUtf8().constData()), expected);
    }

    void englishAndUnknownLocalesStayEnglish()
    {
        for (const QLocale &locale :
             {QLocale(QLocale::English, QLocale::UnitedStates), QLocale(QLocale::German),
              QLocale(QLocale::Chinese, QLocale::TraditionalHanScript, QLocale::Taiwan), QLocale::c()}) {
            QVERIFY2(app::installTranslations(locale).isEmpty(), qPrintable(locale.name()));
            QCOMPARE(ui::DashboardPage::tr("Repeat-purchase rate"), QStringLiteral("Repeat-purchase rate"));
        }
    }

    void chineseLocaleInstallsBothTranslations()
    {
        QCOMPARE(app::installTranslations(kChinese), QStringLiteral("zh_CN"));
        QCOMPARE(ui::DashboardPage::tr("Repeat-purchase rate"), QStringLiteral("复购率"));
        QCOMPARE(QCoreApplication::translate("flywheel", "--after only applies with --screenshot."),
                 QStringLiteral("--after 只能与 --screenshot 一起使用。"));
        // Qt's own strings follow when the system has Qt's translations installed.
        const QString qtbase = QLibraryInfo::path(QLibraryInfo::TranslationsPath) + QStringLiteral("/qtbase_zh_CN.qm");
        if (!QFile::exists(qtbase))
            QSKIP("Qt's Chinese translation (qt6-translations-l10n) is not installed");
        const char *help = "Displays help on commandline options.";
        QVERIFY(QCoreApplication::translate("QCommandLineParser", help) != QLatin1String(help));
    }

    void mainWindowSpeaksChinese()
    {
        QLocale::setDefault(kChinese);
        QCOMPARE(app::installTranslations(kChinese), QStringLiteral("zh_CN"));
        ui::BackendConnection connection(
            QCoreApplication::translate("flywheel", "local demo backend (%1)").arg(QStringLiteral("/tmp/demo.sqlite")));
        ui::MainWindow window(&connection);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QCOMPARE(window.windowTitle(), QStringLiteral("Flywheel — 本地演示后端（/tmp/demo.sqlite）"));
        const auto *navigation = window.findChild<QListWidget *>();
        QVERIFY(navigation);
        QCOMPARE(navigation->item(0)->text(), QStringLiteral("数据看板"));
        QStringList buttons;
        for (const QAbstractButton *button : window.dashboardPage()->findChildren<QAbstractButton *>())
            buttons.append(button->text());
        QCOMPARE(buttons, (QStringList{QStringLiteral("5分钟"), QStringLiteral("1小时"), QStringLiteral("24小时"),
                                       QStringLiteral("7天")}));
        QVERIFY2(window.connectionText().contains(QStringLiteral("正在启动本地演示后端")),
                 qPrintable(window.connectionText()));
        QVERIFY(!window.grab().isNull());
    }

    void tsFileIsComplete()
    {
        QString error;
        const QList<TsMessage> messages = readTs(kTsFile, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(!messages.isEmpty());
        QStringList unfinished, obsolete, placeholderMismatch;
        for (const TsMessage &m : messages) {
            if (m.type == u"obsolete" || m.type == u"vanished")
                obsolete.append(describe(m));
            else if (!m.type.isEmpty() || m.translation.isEmpty())
                unfinished.append(describe(m));
            else if (placeholders(m.source) != placeholders(m.translation))
                placeholderMismatch.append(describe(m) + QStringLiteral(" -> \"%1\"").arg(m.translation));
        }
        // All problems at once, so one run lists everything a translator has to do.
        QStringList problems;
        if (!unfinished.isEmpty())
            problems << QStringLiteral("%1 unfinished message(s):").arg(unfinished.size()) << unfinished;
        if (!obsolete.isEmpty())
            problems
                << QStringLiteral("%1 obsolete message(s); run the update_translations target:").arg(obsolete.size())
                << obsolete;
        if (!placeholderMismatch.isEmpty())
            problems << QStringLiteral("%1 translation(s) whose placeholders differ from the source:")
                            .arg(placeholderMismatch.size())
                     << placeholderMismatch;
        QVERIFY2(problems.isEmpty(), qPrintable(kTsFile + QStringLiteral(":\n") + problems.join(u'\n')));
    }

    void tsFileHasEveryStringOfTheSources()
    {
        // What lupdate finds in the sources now, against what the committed file holds:
        // a string added to the code but not to the .ts would show in English.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString scanned = dir.filePath(QStringLiteral("scanned_zh_CN.ts"));
        QProcess lupdate;
        lupdate.setProcessChannelMode(QProcess::MergedChannels);
        lupdate.start(QStringLiteral(FLYWHEEL_LUPDATE),
                      {QStringLiteral(FLYWHEEL_SOURCE_DIR "/ui"), QStringLiteral(FLYWHEEL_SOURCE_DIR "/app/flywheel"),
                       QStringLiteral("-locations"), QStringLiteral("none"), QStringLiteral("-ts"), scanned});
        QVERIFY2(lupdate.waitForFinished(60000), qPrintable(lupdate.errorString()));
        QVERIFY2(lupdate.exitStatus() == QProcess::NormalExit && lupdate.exitCode() == 0,
                 lupdate.readAll().constData());

        QString error;
        const auto keys = [&](const QString &path) {
            QSet<QString> set;
            for (const TsMessage &m : readTs(path, &error))
                set.insert(describe(m));
            return set;
        };
        const QSet<QString> inSources = keys(scanned);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(!inSources.isEmpty());
        const QSet<QString> inTs = keys(kTsFile);
        QVERIFY2(error.isEmpty(), qPrintable(error));

        QStringList missing = (inSources - inTs).values();
        QStringList stale = (inTs - inSources).values();
        missing.sort();
        stale.sort();
        QStringList problems;
        if (!missing.isEmpty())
            problems << QStringLiteral("%1 string(s) of the sources missing; run the update_translations target "
                                       "and translate them:")
                            .arg(missing.size())
                     << missing;
        if (!stale.isEmpty())
            problems << QStringLiteral("%1 string(s) no longer in the sources; run the update_translations target:")
                            .arg(stale.size())
                     << stale;
        QVERIFY2(problems.isEmpty(), qPrintable(kTsFile + QStringLiteral(":\n") + problems.join(u'\n')));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
