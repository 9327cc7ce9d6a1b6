#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>

class QWidget;

namespace flywheel::app {

/// `--screenshot`: renders a widget to a PNG once the page it shows has its first data,
/// `after` later, so that a first start (which seeds the demo database for a while)
/// still renders a page with data rather than "waiting for data". When the data has not
/// come within `timeout`, nothing is written and finished() reports the error.
class ScreenshotTaker final : public QObject {
    Q_OBJECT

public:
    enum class State { Idle, WaitingForData, CountingDown, Done };

    ScreenshotTaker(QWidget *target, QString file, QString pageName, std::chrono::milliseconds after,
                    std::chrono::milliseconds timeout, QObject *parent = nullptr);

    /// Starts waiting; `hasData` when the page already has its data.
    void start(bool hasData);
    /// The page has its first data: `after` counts from now.
    void dataShown();
    /// Nothing is coming (the backend could not be started): render what is shown, `after` from now.
    void giveUpWaiting();
    State state() const { return m_state; }

Q_SIGNALS:
    /// 0 when the PNG was written; otherwise 1 and `error` says why, for stderr.
    void finished(int exitCode, const QString &error);

private:
    void countDown();
    void render();
    void onTimeout();

    QWidget *m_target;
    const QString m_file;
    const QString m_pageName;
    const std::chrono::milliseconds m_after;
    const std::chrono::milliseconds m_timeout;
    State m_state = State::Idle;
    bool m_gaveUp = false;
    QTimer m_timeoutTimer;
    QTimer m_afterTimer;
};

} // namespace flywheel::app
