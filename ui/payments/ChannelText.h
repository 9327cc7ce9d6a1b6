#pragma once

#include "flywheel/v1/payments.pb.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace flywheel::ui {

/// The channel configuration in words: what is wrong with a draft as a whole, what
/// changed between two versions, one channel summed up, and what an older backend says.
class ChannelText final {
    Q_DECLARE_TR_FUNCTIONS(flywheel::ui::ChannelText)

public:
    /// "This backend has no payment channels (it is an older version)…"
    static QString unimplemented();
    /// Problems of the configuration as a whole (duplicate ids); per-field problems are the editor's.
    static QStringList problems(const v1::ChannelConfig &config);
    /// "wechat_main added", "alipay_main removed", "wechat_main: priority 1 → 2", ...
    static QStringList diff(const v1::ChannelConfig &before, const v1::ChannelConfig &after);
    /// "wechat_main (WeChat Pay), enabled, priority 1, fee 0.60%"
    static QString describe(const v1::Channel &channel);
};

} // namespace flywheel::ui
